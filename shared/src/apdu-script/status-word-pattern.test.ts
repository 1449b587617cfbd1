import { describe, expect, it } from 'vitest';
import { parseStatusWordPattern, statusWordMatches } from './status-word-pattern';

// Status-word patterns of `accept(...)` (docs/encoding-format.md, "Accepted status words"): four hex digits,
// X for any nibble (ISO/IEC 7816-4 §5.1.3's 61XX, 63CX).
describe('status-word patterns', () => {
  it('reads four hex digits, either case, X for any nibble', () => {
    expect(parseStatusWordPattern('6A82')).toEqual({ text: '6A82', value: 0x6a82, mask: 0xffff });
    expect(parseStatusWordPattern('63cx')).toEqual({ text: '63CX', value: 0x63c0, mask: 0xfff0 });
    expect(parseStatusWordPattern('61XX')).toEqual({ text: '61XX', value: 0x6100, mask: 0xff00 });
    expect(parseStatusWordPattern('xXxX')).toEqual({ text: 'XXXX', value: 0, mask: 0 });
    expect(parseStatusWordPattern('X000')).toEqual({ text: 'X000', value: 0, mask: 0x0fff });
  });

  it('refuses anything but exactly four hex digits or X', () => {
    for (const text of ['', '900', '90000', '9G00', ' 9000', '9000 ', 'x9000', '90-0', '9 00'])
      expect(parseStatusWordPattern(text), JSON.stringify(text)).toBeUndefined();
  });

  it('matches a status word on the fixed nibbles only', () => {
    const tries = (text: string) => {
      const pattern = parseStatusWordPattern(text);
      if (!pattern) throw new Error(`${text} is a pattern`);
      return (sw: number) => statusWordMatches(pattern, sw);
    };
    expect(tries('63CX')(0x63c3)).toBe(true);
    expect(tries('63CX')(0x63c0)).toBe(true);
    expect(tries('63CX')(0x63d3)).toBe(false);
    expect(tries('63CX')(0x6283)).toBe(false);
    expect(tries('9000')(0x9000)).toBe(true);
    expect(tries('9000')(0x9001)).toBe(false);
    expect(tries('X000')(0xa000)).toBe(true);
    expect(tries('X000')(0xa001)).toBe(false);
  });
});
