import { CardfleetError } from '../errors/cardfleet-error';

/**
 * One execution of a job: `<jobId>:<attempt>` (docs/messaging.md). It is the envelope's
 * `jti` (replays are refused by it), the agent's ledger and outbox key, and the key of
 * a result's parts. Job ids may themselves hold a `:` (a rejection's `envelope:<hash>`),
 * so the attempt is what follows the last one.
 */
export interface Execution {
  jobId: string;
  attempt: number;
}

/** What a well-formed envelope `jti` looks like (the cloud's job ids have no `:`). */
export const EXECUTION_ID_PATTERN = /^[A-Za-z0-9_.-]+:[1-9][0-9]*$/;

export function executionId(jobId: string, attempt: number): string {
  return `${jobId}:${attempt}`;
}

/** The job and attempt an execution id names; EXECUTION_ID_MALFORMED when it names none. */
export function parseExecutionId(id: string): Execution {
  const cut = id.lastIndexOf(':');
  const jobId = id.slice(0, cut);
  const attempt = id.slice(cut + 1);
  if (cut <= 0 || !/^[1-9][0-9]{0,8}$/.test(attempt))
    throw new CardfleetError('EXECUTION_ID_MALFORMED', `"${id}" is not <jobId>:<attempt>`);
  return { jobId, attempt: Number(attempt) };
}
