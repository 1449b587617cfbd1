import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { formatResponseCodes, parseResponseCodes } from './response-codes';

// The value written to ApduResponseCodesField (docs/encoding-format.md, "Response
// codes"): every final status word, 4 upper-case hex digits, comma-separated.
describe('response codes field', () => {
  it('writes each status word as four upper-case digits, in order, comma-separated', () => {
    expect(formatResponseCodes([])).toBe('');
    expect(formatResponseCodes([0x9000])).toBe('9000');
    expect(formatResponseCodes([0x9000, 0x6a82, 0x63c2, 0x0001, 0xabcd])).toBe('9000,6A82,63C2,0001,ABCD');
  });

  it('reads back what it writes', () => {
    const words = [0x9000, 0x6a82, 0x0000, 0xffff, 0x61ab];
    expect(parseResponseCodes(formatResponseCodes(words))).toEqual(words);
    expect(parseResponseCodes('')).toEqual([]);
    expect(parseResponseCodes('6A82')).toEqual([0x6a82]);
  });

  it('refuses an item that is not exactly four upper-case hex digits, naming it', () => {
    for (const item of ['900', '90000', '6a82', '6G82', ' 9000', '9000 ', 'x9000', '9000x', ''])
      expect(() => parseResponseCodes(`9000,${item}`), JSON.stringify(item)).toThrow(
        expect.objectContaining({
          code: 'RESPONSE_CODES_BAD',
          message: `'${item}' is not a 4-digit status word`,
        }),
      );
    expect(() => parseResponseCodes('9000,')).toThrow(CardfleetError);
    expect(() => parseResponseCodes(',9000')).toThrow(CardfleetError);
  });
});
