import { domain } from './error-codes';

/**
 * A third file of the catalogue, registered in error-catalogue.ts like the domains of
 * error-codes.ts.
 */
/** Batch personalisation (docs/batches.md): the CSV of per-card fields and the agent's card requests. */
export const BatchErrors = domain({
  /** A CSV that does not fit the encoding's fields: details name the row and the column. */
  BATCH_CSV_INVALID: 400,
  /** The agent's "next card" message is malformed, or of a newer wire version. */
  BATCH_REQUEST_INVALID: 400,
  BATCH_REQUEST_UNSUPPORTED_VERSION: 400,
  /** A card asked for a batch that is not running (stopped, halted, completed). */
  BATCH_CLOSED: 409,
});
