import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { describeAtr } from './atr-describe';
import { GEMALTO_MIDDLEWARE_ATRS, maskedPattern, matchCardNames, parseSmartcardList } from './atr-match';
import { parseAtr } from './atr-parser';

// The PC/SC seed's "Parsing an ATR" example.
const SEED_ATR = parseHex('3BFA1300FF813180450031C173C00100009000B1');

describe('ATR parsing (ISO 7816-3 §8)', () => {
  it('decodes the seed example like the seed does', () => {
    const atr = parseAtr(SEED_ATR);
    expect(atr.protocols).toEqual([1]);
    expect(atr.fi).toBe(372);
    expect(atr.di).toBe(4);
    expect(atr.tck).toEqual({ present: true, value: 0xb1, valid: true });
    expect(atr.historical.tlv.map((t) => [t.tag, t.value.length])).toEqual([
      [3, 1],
      [7, 3],
    ]);
    expect(atr.historical.status).toEqual({ lcs: 0, sw: 0x9000 });
    const text = describeAtr(atr, ['OpenPGP']);
    for (const expected of [
      'TS = 0x3B  Direct Convention',
      'T0 = 0xFA  Y(1): b1111, K: 10 (historical bytes)',
      'TA(1) = 0x13  Fi=372, Di=4, 93 cycles/ETU (43010 bits/s at 4.00 MHz, 53763 bits/s for fMax=5 MHz)',
      'TB(1) = 0x00  VPP is not electrically connected',
      'TC(1) = 0xFF  Extra guard time: 255 (special value)',
      'TD(1) = 0x81  Y(i+1) = b1000, Protocol T=1',
      'TD(2) = 0x31  Y(i+1) = b0011, Protocol T=1',
      'TA(3) = 0x80  IFSC: 128',
      'TB(3) = 0x45  Block Waiting Integer: 4 - Character Waiting Integer: 5',
      'TCK = 0xB1 (correct checksum)',
      'Possibly identified card: OpenPGP',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('reports a wrong TCK as data, not as an error', () => {
    const bad = SEED_ATR.slice();
    bad[bad.length - 1] = 0xb2;
    expect(parseAtr(bad).tck.valid).toBe(false);
  });

  it('knows T=0-only ATRs carry no TCK', () => {
    const atr = parseAtr(parseHex('3B021450'));
    expect(atr.protocols).toEqual([0]);
    expect(atr.tck.present).toBe(false);
  });

  it('throws typed errors for truncated or trailing bytes', () => {
    expect(() => parseAtr(parseHex('3BFA13'))).toThrow(expect.objectContaining({ code: 'ATR_TRUNCATED' }));
    expect(() => parseAtr(parseHex('3B02145000'))).toThrow(
      expect.objectContaining({ code: 'ATR_TRAILING_BYTES' }),
    );
    expect(() => parseAtr(parseHex('3A00'))).toThrow(expect.objectContaining({ code: 'ATR_BAD_TS' }));
  });

  it('never throws anything but a CardfleetError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          parseAtr(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CardfleetError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('known-card lists', () => {
  it('treats ATR / MASK entries as patterns: masked bytes may differ, lengths may not', () => {
    // Gemalto ATR2 masks TA1 and four bytes of the historical part.
    const names = (hex: string) => matchCardNames(parseHex(hex), [GEMALTO_MIDDLEWARE_ATRS]);
    expect(names('3B7F96000080318065B085123456120FFE829000')).toEqual([
      'Gemalto IDPrime / SafeNet (middleware ATR2)',
    ]);
    expect(names('3B7F96000080318065B085123456120FFE82900000')).toEqual([]);
    expect(names('3B7F96000080318065B085123456120FFE829001')).toEqual([]);
  });

  it('matches an entry without a mask exactly', () => {
    const card = maskedPattern('3B8180018080', ['x']);
    expect(card.matches(parseHex('3B8180018080'))).toBe(true);
    expect(card.matches(parseHex('3B8180018081'))).toBe(false);
  });

  it('reads smartcard_list.txt entries as regular expressions', () => {
    const list = parseSmartcardList(
      '# comment\n3B 02 14 50\n\tSchlumberger Multiflex 3k\n\n3B 6F 00 00 80 5A .. 0[1-5] 82 90 00\n\tSomething\n\tAlias\n',
    );
    expect(matchCardNames(parseHex('3B021450'), [list])).toEqual(['Schlumberger Multiflex 3k']);
    expect(matchCardNames(parseHex('3B6F0000805A7703829000'), [list])).toEqual(['Something', 'Alias']);
    expect(matchCardNames(parseHex('3B6F0000805A7709829000'), [list])).toEqual([]);
  });
});
