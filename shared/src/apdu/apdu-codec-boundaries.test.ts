import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from '../bytes/hex';
import { apduCase, decodeApdu, encodeApdu } from './apdu-codec';

// ISO/IEC 7816-4:2020 §5.2: where short length fields end and extended ones begin,
// and which byte strings a card reads as which case. Each value sits on a boundary.
const h = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00 };
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

describe('APDU case boundaries', () => {
  it('switches to extended length above 255 data bytes or Ne 256', () => {
    expect(apduCase({ data: bytes(0), ne: 0 })).toBe('1');
    expect(apduCase({ data: bytes(0), ne: 1 })).toBe('2S');
    expect(apduCase({ data: bytes(0), ne: 256 })).toBe('2S');
    expect(apduCase({ data: bytes(0), ne: 257 })).toBe('2E');
    expect(apduCase({ data: bytes(1), ne: 0 })).toBe('3S');
    expect(apduCase({ data: bytes(255), ne: 0 })).toBe('3S');
    expect(apduCase({ data: bytes(256), ne: 0 })).toBe('3E');
    expect(apduCase({ data: bytes(255), ne: 256 })).toBe('4S');
    expect(apduCase({ data: bytes(256), ne: 1 })).toBe('4E');
    expect(apduCase({ data: bytes(1), ne: 257 })).toBe('4E');
  });

  it('encodes each case byte for byte', () => {
    expect(toHex(encodeApdu({ ...h, data: bytes(0), ne: 0 }))).toBe('00A40400');
    expect(toHex(encodeApdu({ ...h, data: bytes(0), ne: 1 }))).toBe('00A4040001');
    expect(toHex(encodeApdu({ ...h, data: Uint8Array.of(0x3f, 0x00), ne: 0 }))).toBe('00A40400023F00');
    expect(toHex(encodeApdu({ ...h, data: Uint8Array.of(0x3f, 0x00), ne: 255 }))).toBe('00A40400023F00FF');
    expect(toHex(encodeApdu({ ...h, data: Uint8Array.of(0x3f, 0x00), ne: 256 }))).toBe('00A40400023F0000');
    // Case 4E: both fields extended, even though Ne alone would fit a short Le.
    const e4 = toHex(encodeApdu({ ...h, data: bytes(256), ne: 2 }));
    expect(e4.slice(0, 14)).toBe('00A40400000100');
    expect(e4.slice(-4)).toBe('0002');
    expect(e4).toHaveLength(2 * (4 + 3 + 256 + 2));
    const e3 = toHex(encodeApdu({ ...h, data: bytes(0x1234), ne: 0 }));
    expect(e3.slice(0, 14)).toBe('00A40400001234');
    expect(e3).toHaveLength(2 * (4 + 3 + 0x1234));
    expect(toHex(encodeApdu({ ...h, data: bytes(0), ne: 0xabcd }))).toBe('00A4040000ABCD');
    expect(toHex(encodeApdu({ ...h, data: bytes(0), ne: 65535 }))).toBe('00A4040000FFFF');
    expect(toHex(encodeApdu({ ...h, data: bytes(65535), ne: 0 })).slice(0, 14)).toBe('00A4040000FFFF');
  });

  it('refuses Ne outside 0..65536 or not a whole number', () => {
    for (const ne of [-1, 65537, 1.5, Number.NaN])
      expect(() => encodeApdu({ ...h, data: bytes(0), ne }), String(ne)).toThrow(
        expect.objectContaining({
          code: 'APDU_BAD_LE',
          message: `expected length ${ne} is outside 0..65536`,
        }),
      );
    expect(() => encodeApdu({ ...h, data: bytes(65536), ne: 0 })).toThrow(
      expect.objectContaining({ message: 'command data of 65536 bytes exceeds 65535' }),
    );
  });

  it('refuses a header field that is not a byte, naming it', () => {
    for (const name of ['cla', 'ins', 'p1', 'p2'] as const) {
      for (const value of [-1, 256, 0.5]) {
        expect(() => encodeApdu({ ...h, [name]: value, data: bytes(0), ne: 0 }), `${name} ${value}`).toThrow(
          expect.objectContaining({
            code: 'APDU_BAD_HEADER',
            message: `${name.toUpperCase()} ${value} is not a byte`,
          }),
        );
      }
      expect(toHex(encodeApdu({ ...h, [name]: 0xff, data: bytes(0), ne: 0 })).length).toBe(8);
      expect(toHex(encodeApdu({ ...h, [name]: 0, data: bytes(0), ne: 0 })).length).toBe(8);
    }
  });
});

describe('APDU decoding by length (§5.2)', () => {
  const decoded = (hex: string) => {
    const { case: kind, data, ne, cla, ins, p1, p2 } = decodeApdu(parseHex(hex));
    return { kind, data: toHex(data), ne, header: toHex(Uint8Array.of(cla, ins, p1, p2)) };
  };

  it('reads every case, Le 00 as 256 and 0000 as 65536', () => {
    expect(decoded('80CA9F7F')).toEqual({ kind: '1', data: '', ne: 0, header: '80CA9F7F' });
    expect(decoded('00B0000000')).toEqual({ kind: '2S', data: '', ne: 256, header: '00B00000' });
    expect(decoded('00B0000010')).toEqual({ kind: '2S', data: '', ne: 16, header: '00B00000' });
    expect(decoded('00A40400023F00')).toEqual({ kind: '3S', data: '3F00', ne: 0, header: '00A40400' });
    expect(decoded('00A40400023F0000')).toEqual({ kind: '4S', data: '3F00', ne: 256, header: '00A40400' });
    expect(decoded('00A40400023F0012')).toEqual({ kind: '4S', data: '3F00', ne: 0x12, header: '00A40400' });
    expect(decoded('00B00000000000')).toEqual({ kind: '2E', data: '', ne: 65536, header: '00B00000' });
    expect(decoded('00B00000000102')).toEqual({ kind: '2E', data: '', ne: 0x102, header: '00B00000' });
    expect(decoded('00A4040000000211223344')).toEqual({
      kind: '4E',
      data: '1122',
      ne: 0x3344,
      header: '00A40400',
    });
    expect(decoded('00A40400000002112200 00')).toEqual({
      kind: '4E',
      data: '1122',
      ne: 65536,
      header: '00A40400',
    });
    expect(decoded('00A404000000021122')).toEqual({ kind: '3E', data: '1122', ne: 0, header: '00A40400' });
  });

  it('refuses lengths that match no case', () => {
    const refusals = {
      '00A404': 'a command APDU has at least 4 header bytes, got 3',
      '00A40400023F':
        'the 2 bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)',
      '00A40400023F00AABB':
        'the 5 bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)',
      '00A404000000':
        'the 2 bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)',
      '00A404000000000000':
        'the 5 bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)',
      '00A40400000002112233':
        'the 6 bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)',
      '00A404000000021122334455':
        'the 8 bytes after the header match no ISO 7816-4 case (Lc disagrees with the data length)',
    };
    for (const [hex, message] of Object.entries(refusals))
      expect(() => decodeApdu(parseHex(hex)), hex).toThrow(
        expect.objectContaining({ code: hex.length < 8 ? 'APDU_TOO_SHORT' : 'APDU_BAD_LENGTH', message }),
      );
  });
});
