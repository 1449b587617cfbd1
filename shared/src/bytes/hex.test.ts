import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { concatBytes, parseHex, parseHexLenient, toHex } from './hex';

// Hex is how every APDU, status word and result travels in traces and files
// (docs/encoding-format.md, "Hex values"): upper case out, blanks tolerated in.
describe('toHex', () => {
  it('prints every byte value as two upper-case digits', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toHex(all);
    expect(text).toHaveLength(512);
    for (let i = 0; i < 256; i++)
      expect(text.slice(2 * i, 2 * i + 2)).toBe(i.toString(16).toUpperCase().padStart(2, '0'));
  });

  it('prints short and long arrays alike, and only the view it is given', () => {
    expect(toHex(new Uint8Array())).toBe('');
    expect(toHex(Uint8Array.of(0x0a, 0xbc))).toBe('0ABC');
    // 64 bytes take the table, 65 the Buffer path: both upper case, both the same text.
    for (const length of [63, 64, 65, 66]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 0xa0) & 0xff);
      const expected = Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
      expect(toHex(bytes), `${length} bytes`).toBe(expected);
    }
    // A view into a larger buffer prints its own bytes, not the buffer's start.
    const backing = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(toHex(backing.subarray(100, 170))).toBe(toHex(Uint8Array.from({ length: 70 }, (_, i) => 100 + i)));
    expect(toHex(backing.subarray(100, 170)).startsWith('646566')).toBe(true);
  });
});

describe('parseHexLenient', () => {
  it('reads digits of either case and skips spaces and tabs', () => {
    expect(parseHexLenient('00CA0182 02')).toEqual(Uint8Array.of(0x00, 0xca, 0x01, 0x82, 0x02));
    expect(parseHexLenient('af\tFe 09')).toEqual(Uint8Array.of(0xaf, 0xfe, 0x09));
    expect(parseHexLenient('')).toEqual(new Uint8Array());
    expect(parseHexLenient('   ')).toEqual(new Uint8Array());
    expect(parseHexLenient('0123456789abcdefABCDEF')).toEqual(
      Uint8Array.of(0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef),
    );
  });

  it('names the first character that is no hex digit, by its offset', () => {
    // The neighbours of each digit range: '/' ':' '@' 'G' '`' 'g'.
    for (const ch of ['/', ':', '@', 'G', '`', 'g', '\n', '-', 'x']) {
      const problem = parseHexLenient(`0A ${ch}1`);
      expect(problem, JSON.stringify(ch)).toEqual({ offset: 3, message: `'${ch}' is not a hex digit` });
    }
    expect(parseHexLenient('zz')).toEqual({ offset: 0, message: "'z' is not a hex digit" });
  });

  it('refuses an odd number of digits at the first digit', () => {
    expect(parseHexLenient('  ABC')).toEqual({ offset: 2, message: 'odd number of hex digits (3)' });
    expect(parseHexLenient('A')).toEqual({ offset: 0, message: 'odd number of hex digits (1)' });
    expect(parseHexLenient('12 3')).toEqual({ offset: 0, message: 'odd number of hex digits (3)' });
  });

  it('pairs the digits high nibble first', () => {
    expect(parseHexLenient('F0 0F')).toEqual(Uint8Array.of(0xf0, 0x0f));
    expect(parseHexLenient('1 2 3 4')).toEqual(Uint8Array.of(0x12, 0x34));
  });
});

describe('parseHex', () => {
  it('returns the bytes of good hex', () => {
    expect(parseHex('9000')).toEqual(Uint8Array.of(0x90, 0x00));
  });

  it('throws BAD_HEX naming the value, the problem and its offset', () => {
    const thrown = (() => {
      try {
        parseHex('12 3Q', 'Card Manager Key');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(CardfleetError);
    expect((thrown as CardfleetError).code).toBe('BAD_HEX');
    expect((thrown as CardfleetError).message).toBe("Card Manager Key: 'Q' is not a hex digit at offset 4");
    expect(() => parseHex('ABC')).toThrow('value: odd number of hex digits (3) at offset 0');
  });
});

describe('concatBytes', () => {
  it('joins the chunks in order', () => {
    expect(concatBytes([])).toEqual(new Uint8Array());
    expect(
      concatBytes([Uint8Array.of(1, 2), new Uint8Array(), Uint8Array.of(3), Uint8Array.of(4, 5, 6)]),
    ).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
  });
});
