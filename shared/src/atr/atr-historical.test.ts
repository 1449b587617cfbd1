import { describe, expect, it } from 'vitest';
import { parseHex } from '../bytes/hex';
import { parseHistorical } from './atr-historical';

// The historical bytes of an ATR, ISO/IEC 7816-4 §8.1.1: category indicator, compact
// TLV objects, the category-00 status indicator, and each decoded fact as the
// pcsc-tools ATR_analysis prints it.
const historical = (hex: string) => parseHistorical(parseHex(hex));

describe('historical bytes: category indicator', () => {
  it.each([
    ['00', 'compact TLV data object'],
    ['80', 'compact TLV data object'],
    ['10', 'next byte is the DIR data reference'],
    ['81', 'reserved for future use'],
    ['8F', 'reserved for future use'],
    ['90', 'proprietary format'],
    ['7F', 'proprietary format'],
    ['01', 'proprietary format'],
  ])('%s is %s', (hex, category) => {
    expect(historical(hex)).toMatchObject({ categoryIndicator: Number.parseInt(hex, 16), category });
  });

  it('has no category without bytes, and reads nothing more from a proprietary one', () => {
    expect(historical('')).toEqual({
      bytes: new Uint8Array(),
      categoryIndicator: undefined,
      category: undefined,
      tlv: [],
      status: undefined,
      dirReference: undefined,
    });
    expect(historical('14 31 C0')).toMatchObject({ tlv: [], status: undefined, dirReference: undefined });
  });

  it('reads category 10 as the DIR data reference in the next byte', () => {
    expect(historical('10 55')).toMatchObject({ dirReference: 0x55, tlv: [], status: undefined });
  });
});

describe('historical bytes: compact TLV', () => {
  it('decodes the card service data byte', () => {
    expect(historical('80 31 C0').tlv).toEqual([
      {
        tag: 3,
        name: 'card service data',
        value: Uint8Array.of(0xc0),
        decoded: [
          'Application selection: by full DF name',
          'Application selection: by partial DF name',
          'EF.DIR and EF.ATR access services: by GET RECORD(s) command',
          'Card with MF',
        ],
      },
    ]);
    expect(historical('80 31 39').tlv[0]?.decoded).toEqual([
      'BER-TLV data objects available in EF.DIR',
      'BER-TLV data objects available in EF.ATR',
      'EF.DIR and EF.ATR access services: by READ BINARY command',
      'Card without MF',
    ]);
    expect(historical('80 31 04').tlv[0]?.decoded).toEqual([
      'EF.DIR and EF.ATR access services: by GET DATA command',
      'Card with MF',
    ]);
    expect(historical('80 31 02').tlv[0]?.decoded).toEqual([
      'EF.DIR and EF.ATR access services: reserved for future use',
      'Card with MF',
    ]);
  });

  it('decodes the three card capabilities bytes', () => {
    expect(historical('80 73 FF 9F C3').tlv[0]).toEqual({
      tag: 7,
      name: 'card capabilities',
      value: Uint8Array.of(0xff, 0x9f, 0xc3),
      decoded: [
        'DF selection by full DF name',
        'DF selection by partial DF name',
        'DF selection by path',
        'DF selection by file identifier',
        'Implicit DF selection',
        'Short EF identifier supported',
        'Record number supported',
        'Record identifier supported',
        'EF of TLV structure supported',
        'Behaviour of write functions: one-time write',
        "Value 'FF' for the first byte of BER-TLV tag fields: valid",
        'Data unit in quartets: 32768',
        'Command chaining',
        'Extended Lc and Le fields',
        'Logical channel number assignment: No logical channel',
        'Maximum number of logical channels: 4',
      ],
    });
    expect(historical('80 73 00 61 1F').tlv[0]?.decoded).toEqual([
      'Behaviour of write functions: write AND',
      "Value 'FF' for the first byte of BER-TLV tag fields: invalid",
      'Data unit in quartets: 2',
      'Logical channel number assignment: by the interface device and card',
      'Maximum number of logical channels: 8',
    ]);
    expect(historical('80 72 00 20').tlv[0]?.decoded).toEqual([
      'Behaviour of write functions: proprietary',
      "Value 'FF' for the first byte of BER-TLV tag fields: invalid",
      'Data unit in quartets: 1',
    ]);
    expect(historical('80 73 00 40 08').tlv[0]?.decoded.slice(1)).toEqual([
      "Value 'FF' for the first byte of BER-TLV tag fields: invalid",
      'Data unit in quartets: 1',
      'Logical channel number assignment: by the interface device',
      'Maximum number of logical channels: 1',
    ]);
    expect(historical('80 73 00 40 10').tlv[0]?.decoded[0]).toBe('Behaviour of write functions: write OR');
    expect(historical('80 73 00 40 10').tlv[0]?.decoded[3]).toBe(
      'Logical channel number assignment: by the card',
    );
    expect(historical('80 70').tlv[0]).toEqual({
      tag: 7,
      name: 'card capabilities',
      value: new Uint8Array(),
      decoded: [],
    });
  });

  it('decodes a status indicator object of one, two or three bytes', () => {
    expect(historical('80 81 05').tlv[0]?.decoded).toEqual([
      'LCS (life cycle status): operational state (activated)',
    ]);
    expect(historical('80 82 6A 82').tlv[0]?.decoded).toEqual(['SW: file or application not found']);
    expect(historical('80 83 03 90 00').tlv[0]?.decoded).toEqual([
      'LCS (life cycle status): initialisation state',
      'SW: normal processing',
    ]);
    expect(historical('80 80').tlv[0]).toEqual({
      tag: 8,
      name: 'status indicator',
      value: new Uint8Array(),
      decoded: [],
    });
  });

  it('names every tag, unknown ones as unknown, and keeps opaque values undecoded', () => {
    expect(historical('80 41 AA 21 BB 92 CC DD F1 EE').tlv).toEqual([
      { tag: 4, name: 'initial access data', value: Uint8Array.of(0xaa), decoded: [] },
      { tag: 2, name: 'issuer identification number', value: Uint8Array.of(0xbb), decoded: [] },
      { tag: 9, name: 'unknown', value: Uint8Array.of(0xcc, 0xdd), decoded: [] },
      { tag: 15, name: 'application identifier', value: Uint8Array.of(0xee), decoded: [] },
    ]);
    expect(historical('80 30').tlv[0]?.decoded).toEqual([]);
  });

  it('cuts an object that claims more bytes than there are', () => {
    expect(historical('80 45 AA BB').tlv).toEqual([
      { tag: 4, name: 'initial access data', value: Uint8Array.of(0xaa, 0xbb), decoded: [] },
    ]);
  });
});

describe('historical bytes: category 00 status indicator (last three bytes)', () => {
  it('reads the TLV objects before it and the LCS and SW after them', () => {
    expect(historical('00 31 C0 07 90 00')).toMatchObject({
      tlv: [{ tag: 3, value: Uint8Array.of(0xc0) }],
      status: {
        lcs: 7,
        sw: 0x9000,
        decoded: ['LCS (life cycle status): operational state (activated)', 'SW: normal processing'],
      },
    });
    expect(historical('00 01 6A 82')).toMatchObject({
      tlv: [],
      status: {
        lcs: 1,
        sw: 0x6a82,
        decoded: ['LCS (life cycle status): creation state', 'SW: file or application not found'],
      },
    });
  });

  it('has no status indicator when fewer than four bytes leave no room for it', () => {
    expect(historical('00 90 00')).toMatchObject({ tlv: [], status: undefined });
    expect(historical('00')).toMatchObject({ tlv: [], status: undefined });
  });

  it.each([
    [0x00, 'no information given'],
    [0x01, 'creation state'],
    [0x02, 'unknown'],
    [0x03, 'initialisation state'],
    [0x04, 'operational state (deactivated)'],
    [0x05, 'operational state (activated)'],
    [0x06, 'operational state (deactivated)'],
    [0x07, 'operational state (activated)'],
    [0x08, 'unknown'],
    [0x0b, 'unknown'],
    [0x0c, 'termination state'],
    [0x0f, 'termination state'],
    [0x10, 'proprietary'],
  ])('life cycle status %s is %s', (lcs, meaning) => {
    const hex = lcs.toString(16).padStart(2, '0');
    expect(historical(`00 ${hex} 90 00`).status?.decoded[0]).toBe(`LCS (life cycle status): ${meaning}`);
  });
});
