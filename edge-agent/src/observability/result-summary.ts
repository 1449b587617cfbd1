import { describeStatusWord, executionId, type JobResult, type LogFields } from '@cardfleet/shared';

/**
 * What a result says, for the station's log: the status, and for a failure where it
 * failed — the application, the script line, the status word and what it means
 * (shared/src/status-words) — as a sentence and as fields. Results carry no secret
 * (docs/security.md), so nothing here needs redacting.
 */
export function resultSummary(result: JobResult): { message: string; fields: LogFields } {
  const jti = executionId(result.jobId, result.attempt);
  const failed = result.applications.find((a) => a.status === 'FAILED');
  const failure = failed?.failure;
  const sw = failure?.sw && /^[0-9A-Fa-f]{4}$/.test(failure.sw) ? failure.sw.toUpperCase() : undefined;
  const swMeaning = sw ? describeStatusWord(Number.parseInt(sw, 16)).meaning : undefined;
  const code = failure?.code ?? result.error?.code;
  // The application's own sentence first: it read the status word with the card
  // application's table (apdu-application.ts); the generic meaning stands in without one.
  const reason =
    result.rejection?.reason ??
    (failure?.message ||
      (sw
        ? `${failure?.line ? `line ${failure.line}: ` : ''}the card answered ${sw} (${swMeaning})`
        : undefined)) ??
    result.error?.message;
  const where = failed ? `application "${failed.name}"` : undefined;
  const message = `job ${jti}: ${result.status}${reason ? ` — ${[where, reason].filter(Boolean).join(', ')}` : ''}${code ? ` [${code}]` : ''}`;
  return {
    message,
    fields: {
      jobId: result.jobId,
      attempt: result.attempt,
      status: result.status,
      ...(code ? { code } : {}),
      ...(failed ? { application: failed.name } : {}),
      ...(failure?.line ? { line: failure.line } : {}),
      ...(sw ? { sw, swMeaning } : {}),
      ...(reason ? { reason } : {}),
    },
  };
}
