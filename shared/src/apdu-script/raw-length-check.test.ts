import { describe, expect, it } from 'vitest';
import { rawLengthWarnings } from './raw-length-check';
import { parseScript } from './script-parser';

const warnings = (text: string) =>
  rawLengthWarnings(parseScript(text, 's.apdu').script, text).map((w) => w.describe());

describe('RAW lines whose Lc disagrees with their data (ISO 7816-4 §5.1)', () => {
  it('warns at the APDU, and says the line is still sent as written', () => {
    expect(warnings('RAW:00CA018202\nRAW [X]: 00DA0000 03 0102\n')).toEqual([
      's.apdu:2:10: Lc is 3 but 2 byte(s) follow it (expected 3 data bytes, or 4 with Le); the line is sent as written [SCRIPT_LC_MISMATCH]',
    ]);
  });

  it('accepts every command case, short and extended', () => {
    for (const apdu of [
      '00A40000', // case 1
      '00B0000010', // case 2S
      '00A4040C07A0000000635043', // case 3S
      '00A4040007A000000063504300', // case 4S
      '00B0000000FFFF', // case 2E
      '00DA000000000201020000', // case 4E
    ])
      expect(warnings(`RAW:${apdu}\n`), apdu).toEqual([]);
    expect(warnings('RAW:00DA00000000030102\n')).toHaveLength(1);
  });
});

describe('RAW length warnings, each complaint and column', () => {
  it.each([
    ['00DA000003010203', undefined],
    ['00DA00000301020300', undefined],
    ['00DA0000030102', 'Lc is 3 but 2 byte(s) follow it (expected 3 data bytes, or 4 with Le)'],
    ['00DA000003010203AABB', 'Lc is 3 but 5 byte(s) follow it (expected 3 data bytes, or 4 with Le)'],
    ['00DA000000000201', 'extended Lc (00 00 02) is 2 but 1 byte(s) follow it'],
    ['00DA0000000002010200', 'extended Lc (00 00 02) is 2 but 3 byte(s) follow it'],
    ['00DA00000000020102AABB', undefined],
    ['00DA0000000000AA', 'extended Lc (00 00 00) is 0 but 1 byte(s) follow it'],
    ['00DA000000AB', 'extended Lc (00 AB 00) is 43776 but 0 byte(s) follow it'],
  ])('%s', (apdu, complaint) => {
    expect(warnings(`RAW:${apdu}`)).toEqual(
      complaint === undefined
        ? []
        : [`s.apdu:1:5: ${complaint}; the line is sent as written [SCRIPT_LC_MISMATCH]`],
    );
  });

  it('points at the APDU after blanks, on the line it is written on', () => {
    expect(warnings('RAW:00A40000\n\nRAW:   00DA0000030102')).toEqual([
      's.apdu:3:8: Lc is 3 but 2 byte(s) follow it (expected 3 data bytes, or 4 with Le); the line is sent as written [SCRIPT_LC_MISMATCH]',
    ]);
  });
});
