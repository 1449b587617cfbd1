import { CardfleetError } from '@cardfleet/shared';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error body of the API: `{ "error": { "code", "message", "details" } }`.
 * HTTP statuses are mapped here and nowhere else.
 */
const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  BUNDLE_TOO_LARGE: 413,
};

export function statusOf(error: CardfleetError): ContentfulStatusCode {
  return STATUS_BY_CODE[error.code] ?? 400;
}

export function errorBody(error: CardfleetError) {
  return { error: { code: error.code, message: error.message, details: error.details ?? {} } };
}

export const forbidden = (message: string) => new CardfleetError('FORBIDDEN', message);
export const notFound = (what: string) => new CardfleetError('NOT_FOUND', `${what} not found`);
