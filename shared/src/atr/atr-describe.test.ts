import { describe, expect, it } from 'vitest';
import { parseHex } from '../bytes/hex';
import { describeAtr } from './atr-describe';
import { parseAtr } from './atr-parser';

// The ATR analysis an operator reads (docs/atr.md), line by line: every part of an ATR
// that ISO/IEC 7816-3 §8 and 7816-4 §8.1.1 give a meaning has its line, and nothing else.
const described = (hex: string, names: string[] = []) => describeAtr(parseAtr(parseHex(hex)), names);

describe('ATR description', () => {
  it('describes an inverse-convention ATR with no historical bytes, its unexpected TCK and its warning', () => {
    expect(described('3F0000')).toBe(
      [
        'ATR: 3F 00 00',
        'TS = 0x3F  Inverse Convention',
        'T0 = 0x00  Y(1): b0000, K: 0 (historical bytes)',
        'TCK = 0x00 (correct checksum)',
        'Protocols: T=0',
        'WARNING: one byte (00) follows the historical bytes of a T=0-only ATR; read as TCK [ATR_TCK_UNEXPECTED]',
        'Card not in the known lists',
      ].join('\n'),
    );
  });

  it('describes proprietary historical bytes with their category only, and no TCK line for T=0', () => {
    expect(described('3B021450', ['Card A', 'Card B'])).toBe(
      [
        'ATR: 3B 02 14 50',
        'TS = 0x3B  Direct Convention',
        'T0 = 0x02  Y(1): b0000, K: 2 (historical bytes)',
        'Historical bytes: 14 50',
        '  Category indicator byte: 0x14 (proprietary format)',
        'Protocols: T=0',
        'Possibly identified card: Card A; Card B',
      ].join('\n'),
    );
  });

  it('describes a DIR data reference, two protocols and the warnings of a truncated ATR', () => {
    expect(described('3B8B800110FF')).toBe(
      [
        'ATR: 3B 8B 80 01 10 FF',
        'TS = 0x3B  Direct Convention',
        'T0 = 0x8B  Y(1): b1000, K: 11 (historical bytes)',
        'TD(1) = 0x80  Y(i+1) = b1000, Protocol T=0',
        'TD(2) = 0x01  Y(i+1) = b0000, Protocol T=1',
        'Historical bytes: 10 FF',
        '  Category indicator byte: 0x10 (next byte is the DIR data reference)',
        '    DIR data reference: 0xFF',
        'Protocols: T=0, T=1',
        'WARNING: T0 announces 11 historical bytes, only 2 follow [ATR_TRUNCATED]',
        'WARNING: TCK is required (a protocol other than T=0 is indicated) but missing [ATR_TCK_MISSING]',
        'Card not in the known lists',
      ].join('\n'),
    );
  });

  it('describes the bytes after the historical bytes as ignored', () => {
    expect(described('3B0200009000FF')).toContain(
      [
        'Historical bytes: 00 00',
        '  Category indicator byte: 0x00 (compact TLV data object)',
        'Extra bytes (ignored): 90 00 FF',
      ].join('\n'),
    );
  });

  it('describes compact-TLV objects with what they decode to, the status indicator, and a wrong TCK', () => {
    const text = described('3BFA1300FF813180450031C173C00100009000B2');
    expect(text).toContain(
      [
        '    Tag: 3, Len: 1 (card service data): C1',
        '      - Application selection: by full DF name',
        '      - Application selection: by partial DF name',
        '      - EF.DIR and EF.ATR access services: by GET RECORD(s) command',
        '      - Card without MF',
        '    Tag: 7, Len: 3 (card capabilities): C0 01 00',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '    Mandatory status indicator: LCS 0, SW 9000',
        '      - LCS (life cycle status): no information given',
        '      - SW: normal processing',
        'TCK = 0xB2 (WRONG checksum)',
        'Protocols: T=1',
      ].join('\n'),
    );
  });

  it('writes a zero status word with four digits and an unnamed tag as unknown', () => {
    expect(described('3B88800100000000000000')).toContain(
      ['    Tag: 0, Len: 0 (unknown): ', '    Mandatory status indicator: LCS 0, SW 0000'].join('\n'),
    );
  });

  it('writes tags and status words in upper-case hex', () => {
    expect(described('3B0600F1A0056A82')).toContain(
      [
        '    Tag: F, Len: 1 (application identifier): A0',
        '    Mandatory status indicator: LCS 5, SW 6A82',
        '      - LCS (life cycle status): operational state (activated)',
        '      - SW: file or application not found',
      ].join('\n'),
    );
  });
});
