import { toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Variable formats of the APDU seed ("Configure format for variables"): a field is
 * read or written as hex (default), UTF-8 string or base64, chosen by a `<hex>`,
 * `<string>` or `<base64>` prefix in front of the field name.
 */
export const FIELD_FORMATS = ['hex', 'string', 'base64'] as const;
export type FieldFormat = (typeof FIELD_FORMATS)[number];

export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface FieldRef {
  name: string;
  format: FieldFormat;
  /** Whether the prefix was written out (kept so printing round-trips). */
  explicitFormat: boolean;
}

/** Field value → bytes. An empty or missing value is an empty byte array (seed, DYN). */
export function decodeFieldValue(value: string | undefined, ref: FieldRef): Uint8Array {
  if (value === undefined || value === '') return new Uint8Array(0);
  switch (ref.format) {
    case 'string':
      return new TextEncoder().encode(value);
    case 'base64': {
      const compact = value.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
        throw new CardfleetError('FIELD_BAD_BASE64', `field ${ref.name} is not valid base64`);
      }
      return new Uint8Array(Buffer.from(compact, 'base64'));
    }
    case 'hex': {
      const compact = value.replace(/\s+/g, '');
      if (!/^(?:[0-9A-Fa-f]{2})*$/.test(compact)) {
        // The value itself may be secret: name the field, never echo its content.
        throw new CardfleetError('FIELD_BAD_HEX', `field ${ref.name} is not an even number of hex digits`);
      }
      return new Uint8Array(Buffer.from(compact, 'hex'));
    }
  }
}

/** Bytes → field value in the output format of the line. */
export function encodeFieldValue(bytes: Uint8Array, format: FieldFormat): string {
  switch (format) {
    case 'hex':
      return toHex(bytes);
    case 'base64':
      return Buffer.from(bytes).toString('base64');
    case 'string':
      return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }
}

export function printFieldRef(ref: FieldRef): string {
  return ref.explicitFormat || ref.format !== 'hex' ? `<${ref.format}>${ref.name}` : ref.name;
}
