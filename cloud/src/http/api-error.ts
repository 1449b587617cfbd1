import { CardfleetError, errorStatus } from '@cardfleet/shared';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error body of the API: `{ "error": { "code", "message", "details" } }`.
 * HTTP statuses come from the error catalogue (shared/src/errors/error-codes.ts) and are
 * applied here and nowhere else: 4xx answers carry the error's message and details; 503
 * (a dependency failed, or an optimistic write kept losing) adds Retry-After; anything
 * else is INTERNAL, with no internal text in the body and the cause in one log line.
 */
export const RETRY_AFTER_SECONDS = 1;

export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: { error: { code: string; message: string; details: Readonly<Record<string, unknown>> } };
  headers: Record<string, string>;
  /** Set for an internal error or a failed dependency: the line to log (never sent to the client). */
  log?: string;
}

export function statusOf(error: CardfleetError): ContentfulStatusCode {
  return errorStatus(error.code);
}

export function errorBody(error: CardfleetError) {
  return { error: { code: error.code, message: error.message, details: error.details ?? {} } };
}

export function errorAnswer(error: unknown): ErrorAnswer {
  const status = error instanceof CardfleetError ? statusOf(error) : 500;
  if (error instanceof CardfleetError && status < 500) return { status, body: errorBody(error), headers: {} };
  // Contention is expected under load and says nothing new; a dependency that failed
  // (it carries the failure as its cause: storage, KMS) is logged for the operators.
  if (error instanceof CardfleetError && status === 503)
    return {
      status,
      body: { error: { code: error.code, message: error.message, details: {} } },
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      ...(error.cause === undefined ? {} : { log: `dependency unavailable: ${describe(error)}` }),
    };
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal error', details: {} } },
    headers: {},
    log: `internal error: ${describe(error)}`,
  };
}

/** The error and its cause chain, for the log only. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(
      current instanceof CardfleetError
        ? `${current.code}: ${current.message}`
        : current instanceof Error
          ? `${current.name}: ${current.message}`
          : String(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- caused by ');
}

export const forbidden = (message: string) => new CardfleetError('FORBIDDEN', message);
export const notFound = (what: string) => new CardfleetError('NOT_FOUND', `${what} not found`);
