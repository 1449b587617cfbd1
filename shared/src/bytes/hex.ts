import { CardfleetError } from '../errors/cardfleet-error';

/** Upper-case hex without separators, the form every printout and result uses. */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  // A table lookup beats a Buffer round trip for the short arrays of APDU traces.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: both paths print the same upper-case hex; the split is only speed
  if (bytes.length > 64)
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
  let out = '';
  for (const byte of bytes) out += BYTE_HEX[byte];
  return out;
}

export interface HexProblem {
  /** 0-based offset of the offending character in the input. */
  offset: number;
  message: string;
}

/**
 * Parses hex digits, ignoring blanks (the APDU seed allows "00CA0182 02").
 * Returns the first problem instead of throwing, so callers can attach a position.
 */
export function parseHexLenient(text: string): Uint8Array | HexProblem {
  const digits: number[] = [];
  let firstDigitOffset = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09) continue;
    const value = hexValue(ch);
    if (value < 0) return { offset: i, message: `'${text[i]}' is not a hex digit` };
    if (firstDigitOffset < 0) firstDigitOffset = i;
    digits.push(value);
  }
  if (digits.length % 2 !== 0) {
    return { offset: Math.max(firstDigitOffset, 0), message: `odd number of hex digits (${digits.length})` };
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = ((digits[2 * i] ?? 0) << 4) | (digits[2 * i + 1] ?? 0);
  return out;
}

/** Strict variant for values that are never positioned in a file (CLI args, JSON). */
export function parseHex(text: string, what = 'value'): Uint8Array {
  const result = parseHexLenient(text);
  if (result instanceof Uint8Array) return result;
  throw new CardfleetError('BAD_HEX', `${what}: ${result.message} at offset ${result.offset}`);
}

function hexValue(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x37;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x57;
  return -1;
}

/** One array holding the chunks in order. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
