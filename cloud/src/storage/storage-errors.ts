import { CardfleetError } from '@cardfleet/shared';

/**
 * A table call that fails because DynamoDB could not serve it — a server fault, throttling,
 * a dropped connection — is nothing the client did wrong: it becomes STORAGE_UNAVAILABLE,
 * which the API answers 503 with Retry-After (docs/architecture.md, "Errors"). Every other
 * error (a conditional check, a validation error, which would be a bug) passes unchanged.
 * AWS SDK v3 marks its errors with `$fault` and, for retryable ones, `$retryable`.
 */
export async function storageCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    throw new CardfleetError('STORAGE_UNAVAILABLE', 'the table is unavailable; try again', { cause: error });
  }
}

const NETWORK_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'TimeoutError']);

function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { $fault, $retryable, code, name } = error as {
    $fault?: unknown;
    $retryable?: unknown;
    code?: unknown;
    name?: unknown;
  };
  return (
    $fault === 'server' ||
    ($retryable !== undefined && $retryable !== null) ||
    NETWORK_FAILURES.has(String(code)) ||
    NETWORK_FAILURES.has(String(name))
  );
}
