import { domain } from './error-codes';

/**
 * Jobs a person asks for (docs/api.md): their fields checked against the encoding
 * version's job fields (shared/src/encoding/job-fields.ts) and dry runs on an agent's
 * in-process dry-run card (docs/security.md, "Dry runs"). A file of the catalogue,
 * registered in error-catalogue.ts like the domains of error-codes.ts. The codes name
 * the field, never its value: a field may be secret (docs/security.md, Invariants).
 */
export const JobErrors = domain({
  /** A field the version needs (it reads it and nothing in it writes it) is absent or empty. */
  JOB_FIELD_MISSING: 400,
  /** A field's value does not have the form its uses need (hex of a fixed length, a date…). */
  JOB_FIELD_MALFORMED: 400,
  /** A dry run for an agent that has no dry-run card (or never said it has): nothing is sent. */
  DRY_RUN_UNAVAILABLE: 409,
  /** An application a dry run cannot run (PKCS#11, License: their middleware reaches real readers). */
  DRY_RUN_NOT_RUNNABLE: 500,
});
