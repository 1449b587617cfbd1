import { describe, expect, it } from 'vitest';
import {
  decodeFieldValue,
  encodeFieldValue,
  FIELD_FORMATS,
  FIELD_NAME_PATTERN,
  type FieldRef,
  printFieldRef,
} from './field-format';

// Field formats of APDU scripts (docs/encoding-format.md, "Field formats"): hex by
// default, <string> as UTF-8, <base64>; a bad value names its field, never its content.
const ref = (format: FieldRef['format'], explicitFormat = false): FieldRef => ({
  name: 'F',
  format,
  explicitFormat,
});

describe('field names and formats', () => {
  it('are hex, string and base64', () => {
    expect(FIELD_FORMATS).toEqual(['hex', 'string', 'base64']);
  });

  it('are names of letters, digits and _ that do not start with a digit', () => {
    for (const name of ['A', '_', 'a1', 'NEW_PIN', '_x_9', 'Zz'])
      expect(FIELD_NAME_PATTERN.test(name), name).toBe(true);
    for (const name of ['', '1A', 'A-B', 'A B', ' A', 'A ', 'Ä', 'A.B', 'A\nB', '<hex>A'])
      expect(FIELD_NAME_PATTERN.test(name), JSON.stringify(name)).toBe(false);
  });
});

describe('decodeFieldValue', () => {
  it('reads a missing or empty value as no bytes, in every format', () => {
    for (const format of FIELD_FORMATS) {
      expect(decodeFieldValue(undefined, ref(format))).toEqual(new Uint8Array());
      expect(decodeFieldValue('', ref(format))).toEqual(new Uint8Array());
    }
  });

  it('reads hex of either case, blanks ignored', () => {
    expect(decodeFieldValue('3f 00\tA1\nb2', ref('hex'))).toEqual(Uint8Array.of(0x3f, 0x00, 0xa1, 0xb2));
  });

  it('refuses odd or non-hex digits, naming the field and not the value', () => {
    for (const value of ['ABC', 'GG', '0x12', '12 3', 'zz12', '12zz'])
      expect(() => decodeFieldValue(value, { ...ref('hex'), name: 'CMK' }), value).toThrow(
        expect.objectContaining({
          code: 'FIELD_BAD_HEX',
          message: 'field CMK is not an even number of hex digits',
        }),
      );
  });

  it('reads UTF-8 strings byte for byte', () => {
    expect(decodeFieldValue('Aé €', ref('string'))).toEqual(
      Uint8Array.of(0x41, 0xc3, 0xa9, 0x20, 0xe2, 0x82, 0xac),
    );
  });

  it('reads base64 with padding and blanks, and refuses anything else', () => {
    expect(decodeFieldValue('AQID', ref('base64'))).toEqual(Uint8Array.of(1, 2, 3));
    expect(decodeFieldValue('AQI=', ref('base64'))).toEqual(Uint8Array.of(1, 2));
    expect(decodeFieldValue('AQ==', ref('base64'))).toEqual(Uint8Array.of(1));
    expect(decodeFieldValue('AQ ID\n+/8=', ref('base64'))).toEqual(Uint8Array.of(1, 2, 3, 0xfb, 0xff));
    for (const value of ['AQI', 'AQ=', 'AQ===', 'A===', '!QID', 'AQID!', 'AQ-_', '=AQI'])
      expect(() => decodeFieldValue(value, { ...ref('base64'), name: 'B' }), value).toThrow(
        expect.objectContaining({ code: 'FIELD_BAD_BASE64', message: 'field B is not valid base64' }),
      );
  });
});

describe('encodeFieldValue', () => {
  it('writes bytes in the output format of the line', () => {
    const bytes = Uint8Array.of(0x41, 0xc3, 0xa9, 0xfb, 0xff);
    expect(encodeFieldValue(bytes, 'hex')).toBe('41C3A9FBFF');
    expect(encodeFieldValue(bytes, 'base64')).toBe('QcOp+/8=');
    expect(encodeFieldValue(Uint8Array.of(0x41, 0xc3, 0xa9), 'string')).toBe('Aé');
    // Bytes that are no UTF-8 become replacement characters, never an exception.
    expect(encodeFieldValue(Uint8Array.of(0x41, 0xff), 'string')).toBe('A\uFFFD');
  });
});

describe('printFieldRef', () => {
  it('writes the prefix when it was written or when the format is not hex', () => {
    expect(printFieldRef(ref('hex'))).toBe('F');
    expect(printFieldRef(ref('hex', true))).toBe('<hex>F');
    expect(printFieldRef(ref('string'))).toBe('<string>F');
    expect(printFieldRef(ref('base64', true))).toBe('<base64>F');
  });
});
