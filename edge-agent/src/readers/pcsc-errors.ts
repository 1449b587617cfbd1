import { CardfleetError, type ErrorCode } from '@cardfleet/shared';

/**
 * PC/SC return codes (pcsc-lite's pcsclite.h, the WinSCard SCARD_E_/SCARD_W_ values)
 * mapped to stable cardfleet error codes. node-pcsclite reports them only inside its
 * messages, e.g. "SCardTransmit error: Card was removed.(0x80100069)".
 */
const CODES: Readonly<Record<number, [code: ErrorCode, message: string]>> = {
  2148532329: ['CARD_REMOVED', 'the card was removed'],
  2148532328: ['CARD_RESET', 'the card was reset by another application'],
  2148532326: ['CARD_UNRESPONSIVE', 'the card does not respond to reset'],
  2148532327: ['CARD_UNPOWERED', 'the card is not powered'],
  2148532236: ['NO_CARD', 'no card in the reader'],
  2148532233: ['UNKNOWN_READER', 'unknown reader'],
  2148532247: ['READER_UNAVAILABLE', 'the reader is unavailable (unplugged?)'],
  2148532270: ['NO_READERS', 'no readers available'],
  2148532253: ['PCSC_NO_SERVICE', 'the PC/SC service (pcscd) is not running'],
  2148532254: ['PCSC_SERVICE_STOPPED', 'the PC/SC service (pcscd) stopped'],
  2148532227: ['PCSC_INVALID_HANDLE', 'the PC/SC handle is no longer valid'],
  2148532235: ['CARD_SHARING_VIOLATION', 'another application holds the card exclusively'],
  2148532246: ['CARD_NOT_TRANSACTED', 'the exchange with the card failed'],
  2148532234: ['CARD_TIMEOUT', 'the card did not answer in time'],
  2148532232: ['PCSC_BUFFER_TOO_SMALL', 'the response did not fit the receive buffer'],
};

/** Codes after which the pcsclite context is dead and must be re-created. */
export const CONTEXT_LOST_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'PCSC_NO_SERVICE',
  'PCSC_SERVICE_STOPPED',
  'PCSC_INVALID_HANDLE',
  'PCSC_COMM_ERROR',
]);

export function pcscError(operation: string, cause: unknown, reader?: string): CardfleetError {
  const text = cause instanceof Error ? cause.message : String(cause);
  const match = /0x([0-9a-fA-F]{8})/.exec(text);
  const value = match ? Number.parseInt(match[1] as string, 16) : undefined;
  const known = value === undefined ? undefined : CODES[value];
  const where = reader ? ` ("${reader}")` : '';
  if (known) return new CardfleetError(known[0], `${operation}: ${known[1]}${where}`, { cause });
  return new CardfleetError('PCSC_ERROR', `${operation} failed${where}: ${text}`, { cause });
}
