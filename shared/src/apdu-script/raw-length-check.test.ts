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
