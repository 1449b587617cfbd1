import { encodeApdu } from '../apdu/apdu-codec';
import { concatBytes, toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { decodeFieldValue } from './field-format';
import type { DynLine, RawLine } from './script-ast';

/**
 * Turns RAW and DYN lines into the bytes sent to the card. DYN data is the
 * concatenation of its parts; Lc is computed and never written by hand (seed: "do
 * not add the input length byte(s) manually"); Le comes from the decimal length.
 * Each byte range that came from a field is remembered, so a trace can redact the
 * ranges that came from secret fields.
 */
export type FieldValues = Readonly<Record<string, string | undefined>>;

export interface FieldRange {
  field: string;
  /** Offset into the encoded APDU. */
  offset: number;
  length: number;
}

export interface CompiledApdu {
  bytes: Uint8Array;
  fieldRanges: FieldRange[];
}

export function compileApdu(line: RawLine | DynLine, fields: FieldValues): CompiledApdu {
  if (line.kind === 'RAW') return { bytes: line.apdu, fieldRanges: [] };
  const chunks: Uint8Array[] = [];
  const ranges: { field: string; start: number; length: number }[] = [];
  let dataLength = 0;
  for (const part of line.data) {
    const bytes = part.kind === 'literal' ? part.bytes : decodeFieldValue(fields[part.ref.name], part.ref);
    if (part.kind === 'field' && bytes.length > 0)
      ranges.push({ field: part.ref.name, start: dataLength, length: bytes.length });
    chunks.push(bytes);
    dataLength += bytes.length;
  }
  const data = concatBytes(chunks);
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = line.header;
  let bytes: Uint8Array;
  try {
    bytes = encodeApdu({ cla, ins, p1, p2, data, ne: line.ne });
  } catch (cause) {
    throw new CardfleetError('SCRIPT_COMPILE', `line ${line.line}: ${(cause as Error).message}`, { cause });
  }
  // Data starts after the header and the 1- or 3-byte Lc field.
  const dataStart = 4 + (data.length === 0 ? 0 : bytes[4] === 0 && data.length > 0 ? 3 : 1);
  return {
    bytes,
    fieldRanges: ranges.map((r) => ({ field: r.field, offset: dataStart + r.start, length: r.length })),
  };
}

/** Hex of a compiled APDU with every byte from a secret field shown as `**`. */
export function redactedApduHex(apdu: CompiledApdu, isSecretField: (name: string) => boolean): string {
  if (!apdu.fieldRanges.some((range) => isSecretField(range.field))) return toHex(apdu.bytes);
  const hidden = new Uint8Array(apdu.bytes.length);
  for (const range of apdu.fieldRanges) {
    if (isSecretField(range.field)) hidden.fill(1, range.offset, range.offset + range.length);
  }
  let out = '';
  for (let i = 0; i < apdu.bytes.length; i++) out += hidden[i] ? '**' : toHex(apdu.bytes.subarray(i, i + 1));
  return out;
}
