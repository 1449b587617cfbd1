import { CardfleetError } from '../errors/cardfleet-error';
import { REDACTED } from '../messages/redaction';

/**
 * What a log record may hold: values under a key that names a secret (a PIN, PUK, key,
 * token, password, secret or the fields that carry them) are replaced by [REDACTED],
 * whatever their nesting, and errors become { code, message, stack, cause } so the
 * server logs the stack without the error object's own secret-bearing properties
 * (docs/security.md, "No secret in logs").
 */
const SECRET_KEY =
  /^(pin|puk|key|token|password|secret|secrets|literals|authorization|confirmation|cardmanagerkey|cmk|privatekey|masterkey|bearer)$/i;

/**
 * Key names that end in a secret word (newPin, apiToken, signingKey...) are secret too.
 * A bare "key" suffix is not: publicKey, idempotencyKey and sortKey are safe to log.
 */
const SECRET_SUFFIX =
  /(pin|puk|token|password|secret|privatekey|masterkey|cardmanagerkey|signingkey|secretkey|sessionkey|apikey|crkey)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || SECRET_SUFFIX.test(key);
}

export function logFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return clean(fields, 0) as Record<string, unknown>;
}

function clean(value: unknown, depth: number): unknown {
  if (depth > 6) return '[…]';
  if (value instanceof Error) return errorFields(value, depth);
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? REDACTED : clean(v, depth + 1)]),
    );
  return value;
}

/** An error for the log: its code (typed errors), message, stack and cause chain. */
function errorFields(error: Error, depth: number): Record<string, unknown> {
  return {
    type: error.name,
    ...(error instanceof CardfleetError || typeof (error as { code?: unknown }).code === 'string'
      ? { code: (error as unknown as { code: string }).code }
      : {}),
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause === undefined ? {} : { cause: clean(error.cause, depth + 1) }),
  };
}
