import { describe, expect, it } from 'vitest';
import { parseScript } from './script-parser';
import { printScript } from './script-printer';

// The canonical text of a script (docs/encoding-format.md, "APDU scripts"): one
// command per line, no comments, upper-case hex, empty slots kept where they matter.
const canonical = (text: string) => {
  const { script, problems } = parseScript(text, 's.apdu');
  expect(problems).toEqual([]);
  return printScript(script);
};

describe('canonical script text', () => {
  it('prints every kind of line, dropping comments and blanks', () => {
    const text = [
      '# a comment',
      'RAW : 00a4 0400 02 3f00   # select',
      '',
      'RAW[ <hex>OUT ]:00CA0182 accept(9000, 63cx)',
      'DYN[<string>O]:00a40000 ; 0x3f00 + <base64>NAME ; 256',
      'PIN[<string>OLD,NEW]:DESC;reg_exp([0-9]{4})',
      'CR[OUT]:mac3;0x00112233445566778899aabbccddeeff;<string>IN',
    ].join('\n');
    expect(canonical(text)).toBe(
      [
        'RAW:00A40400023F00',
        'RAW[<hex>OUT]:00CA0182 accept(9000,63CX)',
        'DYN[<string>O]:00A40000;0x3F00+<base64>NAME;256',
        'PIN[<string>OLD,NEW]:DESC;reg_exp([0-9]{4})',
        'CR[OUT]:RETAIL_MAC;0x00112233445566778899AABBCCDDEEFF;<string>IN',
        '',
      ].join('\n'),
    );
  });

  it('keeps as many DYN separators as were written, Ne 0 as an empty slot', () => {
    expect(canonical('DYN:00B00000')).toBe('DYN:00B00000\n');
    expect(canonical('DYN:00B00000;')).toBe('DYN:00B00000;\n');
    expect(canonical('DYN:00B00000;;')).toBe('DYN:00B00000;;\n');
    expect(canonical('DYN:00B00000;;0')).toBe('DYN:00B00000;;\n');
    expect(canonical('DYN:00B00000;;1')).toBe('DYN:00B00000;;1\n');
    expect(canonical('DYN:00D60000;F')).toBe('DYN:00D60000;F\n');
  });

  it('prints the PIN slots that are set, an empty rule slot before a transport PIN', () => {
    expect(canonical('PIN[NEW]:DESC')).toBe('PIN[NEW]:DESC\n');
    expect(canonical('PIN[NEW]:DESC;;TPIN')).toBe('PIN[NEW]:DESC;;TPIN\n');
    expect(canonical('PIN[NEW]:DESC;reg_exp(\\d{6});TPIN')).toBe('PIN[NEW]:DESC;reg_exp(\\d{6});TPIN\n');
    expect(canonical('PIN[OLD,NEW]:DESC')).toBe('PIN[OLD,NEW]:DESC\n');
  });

  it('prints a CR key given by a field as the field', () => {
    expect(canonical('CR[OUT]:cmac;<hex>KEY;IN')).toBe('CR[OUT]:AES_CMAC;<hex>KEY;IN\n');
  });

  it('prints an empty script as one empty line', () => {
    expect(canonical('')).toBe('\n');
  });
});
