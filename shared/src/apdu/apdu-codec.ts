import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Command APDU encoding and decoding, ISO/IEC 7816-4:2020 §5.1 (command-response
 * pairs) and §5.2 (length fields). The seven cases:
 *   1   CLA INS P1 P2
 *   2S  … Le(1)                 Le 01..FF, 00 = 256
 *   3S  … Lc(1) data            Lc 01..FF
 *   4S  … Lc(1) data Le(1)
 *   2E  … 00 Le(2)              Le 0001..FFFF, 0000 = 65536
 *   3E  … 00 Lc(2) data         Lc 0001..FFFF
 *   4E  … 00 Lc(2) data Le(2)
 * Extended length is used when the data exceeds 255 bytes or Le exceeds 256; a
 * case-4 command then uses extended fields for both Lc and Le (§5.2: both length
 * fields of one command have the same length).
 */
export type ApduCase = '1' | '2S' | '3S' | '4S' | '2E' | '3E' | '4E';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Expected response length Ne: 0 = none, 1..65536. */
  ne: number;
}

export const MAX_SHORT_DATA = 255;
export const MAX_SHORT_NE = 256;
export const MAX_EXTENDED_DATA = 65535;
export const MAX_EXTENDED_NE = 65536;

export function apduCase(apdu: Pick<CommandApdu, 'data' | 'ne'>): ApduCase {
  const extended = apdu.data.length > MAX_SHORT_DATA || apdu.ne > MAX_SHORT_NE;
  const body = apdu.data.length > 0 ? (apdu.ne > 0 ? '4' : '3') : apdu.ne > 0 ? '2' : '1';
  if (body === '1') return '1';
  return `${body}${extended ? 'E' : 'S'}` as ApduCase;
}

export function encodeApdu(apdu: CommandApdu): Uint8Array {
  const { data, ne } = apdu;
  if (data.length > MAX_EXTENDED_DATA) {
    throw new CardfleetError(
      'APDU_TOO_LONG',
      `command data of ${data.length} bytes exceeds ${MAX_EXTENDED_DATA}`,
    );
  }
  if (!Number.isInteger(ne) || ne < 0 || ne > MAX_EXTENDED_NE) {
    throw new CardfleetError('APDU_BAD_LE', `expected length ${ne} is outside 0..${MAX_EXTENDED_NE}`);
  }
  for (const [name, value] of [
    ['CLA', apdu.cla],
    ['INS', apdu.ins],
    ['P1', apdu.p1],
    ['P2', apdu.p2],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) {
      throw new CardfleetError('APDU_BAD_HEADER', `${name} ${value} is not a byte`);
    }
  }
  const kind = apduCase(apdu);
  const extended = kind.endsWith('E');
  const out: number[] = [apdu.cla, apdu.ins, apdu.p1, apdu.p2];
  if (extended) out.push(0x00); // §5.2: a leading 00 byte announces extended length fields
  if (data.length > 0) {
    if (extended) out.push(data.length >> 8, data.length & 0xff);
    else out.push(data.length);
    out.push(...data);
  }
  if (ne > 0) {
    // Le encodes Ne modulo the field size: 00 = 256, 0000 = 65536.
    if (extended) out.push((ne >> 8) & 0xff, ne & 0xff);
    else out.push(ne & 0xff);
  }
  return Uint8Array.from(out);
}

/** Decodes a C-APDU by its length alone, as a card does (§5.2). */
export function decodeApdu(bytes: Uint8Array): CommandApdu & { case: ApduCase } {
  if (bytes.length < 4) {
    throw new CardfleetError(
      'APDU_TOO_SHORT',
      `a command APDU has at least 4 header bytes, got ${bytes.length}`,
    );
  }
  const header = { cla: bytes[0] ?? 0, ins: bytes[1] ?? 0, p1: bytes[2] ?? 0, p2: bytes[3] ?? 0 };
  const body = bytes.subarray(4);
  const n = body.length;
  const b1 = body[0] ?? 0;
  const none = new Uint8Array(0);
  if (n === 0) return { ...header, data: none, ne: 0, case: '1' };
  if (n === 1) return { ...header, data: none, ne: b1 === 0 ? 256 : b1, case: '2S' };
  if (b1 !== 0) {
    if (n === 1 + b1) return { ...header, data: body.slice(1), ne: 0, case: '3S' };
    if (n === 2 + b1) {
      const le = body[n - 1] ?? 0;
      return { ...header, data: body.slice(1, 1 + b1), ne: le === 0 ? 256 : le, case: '4S' };
    }
    throw lengthMismatch(n);
  }
  // b1 = 00: extended length fields.
  if (n === 3) {
    const le = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
    return { ...header, data: none, ne: le === 0 ? 65536 : le, case: '2E' };
  }
  const lc = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
  // A zero extended Lc announces no data: no case. (A 2-byte body matches no case below.)
  if (lc === 0) throw lengthMismatch(n);
  if (n === 3 + lc) return { ...header, data: body.slice(3), ne: 0, case: '3E' };
  if (n === 5 + lc) {
    const le = ((body[n - 2] ?? 0) << 8) | (body[n - 1] ?? 0);
    return { ...header, data: body.slice(3, 3 + lc), ne: le === 0 ? 65536 : le, case: '4E' };
  }
  throw lengthMismatch(n);
}

function lengthMismatch(bodyLength: number): CardfleetError {
  return new CardfleetError(
    'APDU_BAD_LENGTH',
    `the ${bodyLength} bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)`,
  );
}
