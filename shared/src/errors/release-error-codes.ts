import { domain } from './error-codes';

/**
 * Encoding releases (docs/releases.md): four eyes, release stages and the automatic
 * halt. A second file of the catalogue, registered in error-catalogue.ts like the
 * domains of error-codes.ts.
 */
export const ReleaseErrors = domain({
  /** The admin who pushed a version may not approve it: approval takes a second admin. */
  SELF_APPROVAL: 403,
  /** A move the version lifecycle (draft → approved → released → retired) does not allow. */
  VERSION_STATE: 409,
  /** A move the release lifecycle (ACTIVE, HALTED, ROLLED_BACK) does not allow. */
  RELEASE_STATE: 409,
  /** The version is not the one released to the job's office (or is a draft, approved, retired). */
  RELEASE_NOT_RUNNABLE: 409,
  /** The release that makes the version runnable in the office is halted: no new job starts on it. */
  RELEASE_HALTED: 409,
});
