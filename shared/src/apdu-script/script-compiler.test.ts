import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes/hex';
import type { DynLine, RawLine } from './script-ast';
import { compileApdu, redactedApduHex } from './script-compiler';
import { parseScript } from './script-parser';

// RAW and DYN lines to the bytes sent (docs/encoding-format.md, "DYN lines"): Lc
// computed, Le from the decimal length, and where each field's bytes sit, so a trace
// can hide the secret ones.
const lineOf = (text: string) => {
  const { script, problems } = parseScript(text, 's.apdu');
  expect(problems).toEqual([]);
  return script.lines[0] as RawLine | DynLine;
};

describe('compileApdu', () => {
  it('sends a RAW line as written, with no field ranges', () => {
    expect(compileApdu(lineOf('RAW:00A4040C 02 3F00'), {})).toEqual({
      bytes: Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00),
      fieldRanges: [],
    });
  });

  it('computes Lc and Le and places each field after the short Lc', () => {
    const compiled = compileApdu(lineOf('DYN:00200081;0xAA+PIN+<string>NAME+0xBB;16'), {
      PIN: '1234',
      NAME: 'ab',
    });
    expect(toHex(compiled.bytes)).toBe('0020008106AA12346162BB10');
    expect(compiled.fieldRanges).toEqual([
      { field: 'PIN', offset: 6, length: 2 },
      { field: 'NAME', offset: 8, length: 2 },
    ]);
  });

  it('places fields after the three-byte extended Lc', () => {
    const literal = `0x${'00'.repeat(300)}`;
    const compiled = compileApdu(lineOf(`DYN:80E60000;${literal}+KEY`), { KEY: 'C0FFEE' });
    expect(compiled.bytes).toHaveLength(4 + 3 + 303);
    expect(toHex(compiled.bytes.subarray(0, 7))).toBe('80E6000000012F');
    expect(compiled.fieldRanges).toEqual([{ field: 'KEY', offset: 307, length: 3 }]);
    expect(toHex(compiled.bytes.subarray(307))).toBe('C0FFEE');
  });

  it('leaves out a field without a value, and its range', () => {
    const compiled = compileApdu(lineOf('DYN:00DA0000;0x01+EMPTY+MISSING+0x02'), { EMPTY: '' });
    expect(toHex(compiled.bytes)).toBe('00DA0000020102');
    expect(compiled.fieldRanges).toEqual([]);
  });

  it('sends a header alone when there is neither data nor Le', () => {
    expect(compileApdu(lineOf('DYN:00B00000;EMPTY;'), {})).toEqual({
      bytes: Uint8Array.of(0x00, 0xb0, 0x00, 0x00),
      fieldRanges: [],
    });
  });

  it('says which line could not be encoded', () => {
    const line = lineOf('DYN:00DA0000;BIG');
    expect(() => compileApdu({ ...line, line: 7 }, { BIG: '00'.repeat(65536) })).toThrow(
      expect.objectContaining({
        code: 'SCRIPT_COMPILE',
        message: 'line 7: command data of 65536 bytes exceeds 65535',
      }),
    );
  });
});

describe('redactedApduHex', () => {
  const compiled = compileApdu(lineOf('DYN:00200081;0xAA+PIN+NAME;0'), { PIN: '1234', NAME: '5678' });

  it('hides exactly the bytes of secret fields', () => {
    expect(redactedApduHex(compiled, (name) => name === 'PIN')).toBe('0020008105AA****5678');
    expect(redactedApduHex(compiled, (name) => name === 'NAME')).toBe('0020008105AA1234****');
    expect(redactedApduHex(compiled, () => true)).toBe('0020008105AA********');
  });

  it('prints the APDU whole when no field is secret', () => {
    expect(redactedApduHex(compiled, () => false)).toBe('0020008105AA12345678');
  });
});
