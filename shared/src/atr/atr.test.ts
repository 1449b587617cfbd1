import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { describeAtr } from './atr-describe';
import {
  GEMALTO_MIDDLEWARE_ATRS,
  maskedPattern,
  matchCardNames,
  parseSmartcardList,
  spacedHex,
} from './atr-match';
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
    expect(atr.historical.status).toMatchObject({ lcs: 0, sw: 0x9000 });
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

  it('refuses only what is not an ATR at all', () => {
    expect(() => parseAtr(parseHex('3B'))).toThrow(expect.objectContaining({ code: 'ATR_TRUNCATED' }));
    expect(() => parseAtr(parseHex('3A00'))).toThrow(expect.objectContaining({ code: 'ATR_BAD_TS' }));
  });

  it('parses and names irregular ATRs with a warning, like ATR_analysis', () => {
    const codes = (hex: string) => parseAtr(parseHex(hex)).warnings.map((w) => w.code);
    // The Gemalto guide's ATR10: seven bytes after a T=0-only ATR without historical bytes.
    const atr10 = parseAtr(parseHex('3B0000417374726964'));
    expect(atr10.warnings.map((w) => w.code)).toEqual(['ATR_TRAILING_BYTES']);
    expect([atr10.historical.bytes.length, atr10.extraBytes.length, atr10.tck.present]).toEqual([
      0,
      7,
      false,
    ]);
    expect(matchCardNames(atr10.bytes, [GEMALTO_MIDDLEWARE_ATRS])).toEqual([
      'Gemalto IDPrime / SafeNet (middleware ATR10)',
    ]);
    // One byte after a T=0-only ATR is read as TCK (and checked).
    const oneMore = parseAtr(parseHex('3B02145000'));
    expect(oneMore.tck).toEqual({ present: true, value: 0, valid: false });
    expect(oneMore.warnings.map((w) => w.code)).toEqual(['ATR_TCK_UNEXPECTED']);
    // Microsoft Virtual Smart Card: T=1 without TCK.
    expect(codes('3B8D0180FBA000000397425446590401')).toEqual(['ATR_TCK_MISSING']);
    // Historical bytes cut short, and an ATR cut inside its interface bytes.
    const short = parseAtr(parseHex('3B021450'.slice(0, 6)));
    expect([short.warnings.map((w) => w.code), spacedHex(short.historical.bytes)]).toEqual([
      ['ATR_TRUNCATED'],
      '14',
    ]);
    expect(codes('3BFA13')).toEqual(['ATR_TRUNCATED']);
    expect(parseAtr(parseHex('3BFA13')).interfaceBytes.map((b) => b.name)).toEqual(['TA1']);
  });

  it('decodes the interface bytes ISO 7816-3 §8.3 defines: TB1, TA2, TB2 and the bytes after T=15', () => {
    const meanings = (hex: string) =>
      Object.fromEntries(parseAtr(parseHex(hex)).interfaceBytes.map((b) => [b.name, b.meaning]));
    // SAM AV2: TD2 announces T=15, whose TA and TB are global (clock stop, class, SPU).
    expect(meanings('3BDF18FF81F1FE43003F03834D494641524520506C75732053414D3B')).toMatchObject({
      TD3: 'Y(i+1) = b0011, Protocol T=15 - Global interface bytes following',
      TA4: 'Clock stop: not supported - Class accepted by the card: A 5V, B 3V',
      TB4: 'SPU: proprietary use of contact C6 (3)',
      TC3: 'Error detection code: LRC',
    });
    expect(meanings('3B2025')).toMatchObject({
      TB1: 'Programming Param P: 5 Volts, I: 1 milliamperes (deprecated)',
    });
    expect(meanings('3B90111080')).toMatchObject({
      TA2: 'specific mode: protocol T=0 - unable to change - parameters defined by interface bytes',
    });
    expect(meanings('3B90111010').TA2).toBe(
      'specific mode: protocol T=0 - capable to change - parameters implicitly defined',
    );
    expect(meanings('3BE0001020320038').TB2).toBe(
      'Programming Param PI2 (PI1 should be ignored): 50 (dV) (deprecated)',
    );
  });

  it('decodes the compact-TLV historical bytes as the PC/SC notes show them', () => {
    const historical = parseAtr(SEED_ATR).historical;
    expect(historical.tlv[0]?.decoded).toEqual([
      'Application selection: by full DF name',
      'Application selection: by partial DF name',
      'EF.DIR and EF.ATR access services: by GET RECORD(s) command',
      'Card without MF',
    ]);
    expect(historical.tlv[1]?.decoded).toContain('Data unit in quartets: 2');
    expect(historical.status?.decoded).toEqual([
      'LCS (life cycle status): no information given',
      'SW: normal processing',
    ]);
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
