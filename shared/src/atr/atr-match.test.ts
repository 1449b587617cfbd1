import { describe, expect, it } from 'vitest';
import { parseHex } from '../bytes/hex';
import {
  GEMALTO_MIDDLEWARE_ATRS,
  maskedPattern,
  matchCardNames,
  parseSmartcardList,
  spacedHex,
} from './atr-match';

// Known-card lists (docs/atr.md): ATR / MASK patterns of the middleware list, and
// pcsc-tools' smartcard_list.txt whose ATR lines are anchored, case-insensitive
// regular expressions over spaced upper-case hex.
const atr = (hex: string) => parseHex(hex);

describe('ATR / MASK patterns', () => {
  it('compare only the bits the mask keeps, and never another length', () => {
    const card = maskedPattern(' 3B 80 / FF 0F ', ['A']);
    expect(card).toMatchObject({ names: ['A'], source: ' 3B 80 / FF 0F ' });
    expect(card.matches(atr('3B80'))).toBe(true);
    expect(card.matches(atr('3BF0'))).toBe(true);
    expect(card.matches(atr('3B81'))).toBe(false);
    expect(card.matches(atr('3A80'))).toBe(false);
    expect(card.matches(atr('3B'))).toBe(false);
    expect(card.matches(atr('3B8000'))).toBe(false);
  });

  it('refuses a pattern or mask that is no hex, and a mask of another length', () => {
    expect(() => maskedPattern('3BZZ', [])).toThrow(
      expect.objectContaining({ code: 'ATR_BAD_PATTERN', message: "'3BZZ' is not ATR or ATR / MASK in hex" }),
    );
    expect(() => maskedPattern('3B80 / FZ', [])).toThrow(
      expect.objectContaining({
        code: 'ATR_BAD_PATTERN',
        message: "'3B80 / FZ' is not ATR or ATR / MASK in hex",
      }),
    );
    expect(() => maskedPattern('3B80 / FF', [])).toThrow(
      expect.objectContaining({
        code: 'ATR_BAD_PATTERN',
        message: "pattern and mask lengths differ in '3B80 / FF'",
      }),
    );
  });

  it('holds the eighteen middleware entries in order', () => {
    expect(GEMALTO_MIDDLEWARE_ATRS).toHaveLength(18);
    expect(GEMALTO_MIDDLEWARE_ATRS.map((card) => card.names)).toEqual(
      Array.from({ length: 18 }, (_, i) => [`Gemalto IDPrime / SafeNet (middleware ATR${i + 1})`]),
    );
    expect(GEMALTO_MIDDLEWARE_ATRS[5]?.source).toBe('3B8180018080');
    expect(matchCardNames(atr('3B80800101'), [GEMALTO_MIDDLEWARE_ATRS])).toEqual([
      'Gemalto IDPrime / SafeNet (middleware ATR7)',
    ]);
  });
});

describe('smartcard_list.txt', () => {
  it('compares plain entries nibble by nibble, . for any nibble, either case', () => {
    const [card] = parseSmartcardList('3b 8. .0 ff\n\tCard');
    expect(card?.matches(atr('3B8A10FF'))).toBe(true);
    expect(card?.matches(atr('3B8000FF'))).toBe(true);
    expect(card?.matches(atr('3B9010FF'))).toBe(false);
    expect(card?.matches(atr('3B8A11FF'))).toBe(false);
    expect(card?.matches(atr('3B8A10FE'))).toBe(false);
    expect(card?.matches(atr('3B8A10'))).toBe(false);
    expect(card?.matches(atr('3B8A10FF00'))).toBe(false);
  });

  it('reads an entry that is not two digits per byte as a regular expression, not as bytes', () => {
    // "3B 8 9" as a regular expression matches no spaced ATR; read as nibbles it would match 3B 89.
    const [card] = parseSmartcardList('3B 8 9\n\tOdd');
    expect(card?.matches(atr('3B89'))).toBe(false);
  });

  it('reads other entries as anchored, case-insensitive regular expressions', () => {
    const [card] = parseSmartcardList('3B 6F 00 (00|FF) .*\n\tRegex card');
    expect(card?.matches(atr('3B6F00FF12'))).toBe(true);
    expect(card?.matches(atr('3B6F000012AB'))).toBe(true);
    expect(card?.matches(atr('3B6F001112'))).toBe(false);
    expect(card?.matches(atr('AA3B6F00FF12'))).toBe(false);
    const [lower] = parseSmartcardList('3b 6f ([0-9]{2})\n\tLower');
    expect(lower?.matches(atr('3B6F12'))).toBe(true);
    expect(lower?.matches(atr('3B6F1A'))).toBe(false);
  });

  it('skips comments, entries without names and entries whose regex does not compile', () => {
    const list = parseSmartcardList(
      [
        '# 3B 00',
        '3B 01',
        '',
        '3B 02 (',
        '\tBroken',
        '3B 03',
        '\t  Three  ',
        '\tTrois',
        '#\tnot a name',
        '3B 04',
      ].join('\r\n'),
    );
    expect(list.map((card) => [card.source, card.names])).toEqual([['3B 03', ['Three', 'Trois']]]);
    expect(parseSmartcardList('\tName before any ATR\n3B 05\n\tFive')).toHaveLength(1);
  });

  it('lists each matching name once, in list order', () => {
    const first = parseSmartcardList('3B 01\n\tB\n\tA\n3B ..\n\tA\n\tC');
    const second = [maskedPattern('3B01', ['D', 'B'])];
    expect(matchCardNames(atr('3B01'), [first, second])).toEqual(['B', 'A', 'C', 'D']);
    expect(matchCardNames(atr('3B02'), [first, second])).toEqual(['A', 'C']);
    expect(matchCardNames(atr('3C01'), [first, second])).toEqual([]);
  });

  it('spaces hex as the list writes it', () => {
    expect(spacedHex(atr('3B8A10FF'))).toBe('3B 8A 10 FF');
    expect(spacedHex(new Uint8Array())).toBe('');
  });
});
