import { CardfleetError, type ErrorCode, type Pkcs11ReturnCode } from '@cardfleet/shared';

/**
 * Known PKCS#11 failures turned into result codes people understand (Gemalto seed:
 * CKR_DEVICE_MEMORY = card memory full; CKR_FUNCTION_FAILED when a CA certificate is
 * already on the card). Other CKR_* values keep their name as the code.
 */
const KNOWN: Readonly<Record<string, [code: ErrorCode, message: string]>> = {
  CKR_DEVICE_MEMORY: [
    'CARD_MEMORY_FULL',
    'the card has no room left (CKR_DEVICE_MEMORY): delete containers or certificates first',
  ],
  CKR_PIN_INCORRECT: ['PIN_INCORRECT', 'the token refused the PIN (CKR_PIN_INCORRECT)'],
  CKR_PIN_LOCKED: ['PIN_LOCKED', 'the PIN is locked (CKR_PIN_LOCKED)'],
  CKR_PIN_LEN_RANGE: ['PIN_LENGTH', 'the PIN length is outside what the token accepts (CKR_PIN_LEN_RANGE)'],
  CKR_PIN_INVALID: ['PIN_INVALID', 'the token does not accept this PIN (CKR_PIN_INVALID)'],
  CKR_TOKEN_NOT_PRESENT: ['TOKEN_NOT_PRESENT', 'no token in the slot (CKR_TOKEN_NOT_PRESENT)'],
  CKR_DEVICE_REMOVED: ['CARD_REMOVED', 'the card was removed (CKR_DEVICE_REMOVED)'],
  CKR_SLOT_ID_INVALID: ['SLOT_UNKNOWN', 'no such slot (CKR_SLOT_ID_INVALID)'],
  CKR_USER_NOT_LOGGED_IN: ['TOKEN_NOT_LOGGED_IN', 'the operation needs a login (CKR_USER_NOT_LOGGED_IN)'],
  CKR_KEY_SIZE_RANGE: [
    'KEY_SIZE_UNSUPPORTED',
    'the token does not support this key size (CKR_KEY_SIZE_RANGE)',
  ],
};

export function pkcs11Error(operation: string, cause: unknown): CardfleetError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const name = /CKR_[A-Z_]+/.exec(message)?.[0] as Pkcs11ReturnCode | undefined;
  const known = name ? KNOWN[name] : undefined;
  if (known)
    return new CardfleetError(known[0], `${operation}: ${known[1]}`, { cause, details: { ckr: name } });
  return new CardfleetError(name ?? 'PKCS11_ERROR', `${operation} failed: ${name ?? message}`, {
    cause,
    ...(name ? { details: { ckr: name } } : {}),
  });
}
