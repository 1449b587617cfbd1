import { describe, expect, it } from 'vitest';
import { parseScript } from './script-parser';

// Every problem of a script is reported at file:line:col (docs/encoding-format.md,
// "APDU scripts"), the column pointing at what is wrong, so an admin can go straight
// to it; one run reports every bad line.
const problemsOf = (text: string) => parseScript(text, 's.apdu').problems.map((p) => p.describe());

const KEY_32 = '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF';

describe('script problems, each at its column', () => {
  it.each([
    ['FOO:00A4', '1:1: expected a RAW, DYN, PIN or CR line [SCRIPT_UNKNOWN_LINE]'],
    ['   BAR', '1:4: expected a RAW, DYN, PIN or CR line [SCRIPT_UNKNOWN_LINE]'],
    ['RAW:00A4', '1:5: an APDU needs CLA INS P1 P2 [SCRIPT_APDU_TOO_SHORT]'],
    ['RAW: 00A4 0Z', "1:12: APDU: 'Z' is not a hex digit [SCRIPT_BAD_HEX]"],
    ['RAW[A,B]:00A40000', '1:5: a RAW line has one output field [SCRIPT_TOO_MANY_OUTPUTS]'],
    [
      'RAW:00A40000 accept(9000, 6G00)',
      "1:26: '6G00' is not a status word like 6A82 or 63CX [SCRIPT_BAD_SW]",
    ],
    ['RAW:00A40000 accept()', "1:21: '' is not a status word like 6A82 or 63CX [SCRIPT_BAD_SW]"],
    [
      'RAW[<bin>OUT]:00A40000',
      '1:5: unknown format <bin>: use <hex>, <string> or <base64> [SCRIPT_BAD_FORMAT]',
    ],
    ['RAW[ <hex>1X-]:00A40000', "1:11: '1X-' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]"],
    ['RAW[OU T]:00A40000', "1:5: 'OU T' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]"],
    ['DYN[A, B]:00A40000;;', '1:5: a DYN line has one output field [SCRIPT_TOO_MANY_OUTPUTS]'],
    ['DYN:00A4000;;', '1:5: header: odd number of hex digits (7) [SCRIPT_BAD_HEX]'],
    ['DYN:00A400;;', '1:5: a DYN header is CLA INS P1 P2 (4 bytes), got 3 [SCRIPT_DYN_HEADER]'],
    ['DYN:00A4000000;;', '1:5: a DYN header is CLA INS P1 P2 (4 bytes), got 5 [SCRIPT_DYN_HEADER]'],
    ['DYN:00A40000;;;', '1:15: a DYN line is HEADER;DATA;LE — too many ";" [SCRIPT_DYN_PARTS]'],
    ['DYN:00A40000;0x01;2;;', '1:20: a DYN line is HEADER;DATA;LE — too many ";" [SCRIPT_DYN_PARTS]'],
    ['DYN:00A40000; 0x ;', '1:15: 0x needs hex digits [SCRIPT_EMPTY_LITERAL]'],
    ['DYN:00A40000;0x12 + 0xZZ;', "1:23: literal: 'Z' is not a hex digit [SCRIPT_BAD_HEX]"],
    ['DYN:00A40000;0x12+ F-1;', "1:20: 'F-1' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]"],
    ['DYN:00A40000;;65537', '1:15: expected length must be a decimal number 0..65536 [SCRIPT_BAD_LE]'],
    ['DYN:00A40000;;-1', '1:15: expected length must be a decimal number 0..65536 [SCRIPT_BAD_LE]'],
    ['DYN:00A40000;;1x', '1:15: expected length must be a decimal number 0..65536 [SCRIPT_BAD_LE]'],
    ['DYN:00A40000;;x1', '1:15: expected length must be a decimal number 0..65536 [SCRIPT_BAD_LE]'],
    ['PIN:DESC', '1:1: a PIN line writes [NEW_PIN] or [OLD_PIN,NEW_PIN] [SCRIPT_PIN_OUTPUT]'],
    ['PIN[A,B,C]:DESC', '1:5: a PIN line writes [NEW_PIN] or [OLD_PIN,NEW_PIN] [SCRIPT_PIN_OUTPUT]'],
    [
      'PIN[NEW]:<string>DESC',
      '1:10: the description field is always read as a UTF-8 string [SCRIPT_PIN_DESCRIPTION]',
    ],
    ['PIN[NEW]:DESC; reg_exp([0-9', '1:23: reg_exp( is not closed [SCRIPT_PIN_REGEXP]'],
    ['PIN[NEW]:DESC;reg_exp((a)', '1:22: reg_exp( is not closed [SCRIPT_PIN_REGEXP]'],
    [
      'PIN[NEW]:DESC;reg_exp([0-9]{4}) x;T',
      '1:32: a PIN line is DESCRIPTION;reg_exp(…);TRANSPORT_PIN_FIELD [SCRIPT_PIN_SYNTAX]',
    ],
    [
      'PIN[NEW]:DESC; junk ;T',
      '1:16: a PIN line is DESCRIPTION;reg_exp(…);TRANSPORT_PIN_FIELD [SCRIPT_PIN_SYNTAX]',
    ],
    [
      'PIN[NEW]:DESC;reg_exp(1) T',
      '1:25: a PIN line is DESCRIPTION;reg_exp(…);TRANSPORT_PIN_FIELD [SCRIPT_PIN_SYNTAX]',
    ],
    [
      'PIN[NEW]:DESC;;<hex>T',
      '1:16: the transport PIN field is always read as a UTF-8 string [SCRIPT_PIN_TRANSPORT]',
    ],
    [
      'PIN[OLD,NEW]:DESC;; T',
      '1:20: the transport PIN slot must be empty when OLD_PIN is set [SCRIPT_PIN_SYNTAX]',
    ],
    ['CR:AES_CMAC;0x00;IN', '1:1: a CR line writes exactly one output field: CR[FIELD]:… [SCRIPT_CR_OUTPUT]'],
    [
      'CR[A,B]:AES_CMAC;0x00;IN',
      '1:4: a CR line writes exactly one output field: CR[FIELD]:… [SCRIPT_CR_OUTPUT]',
    ],
    ['CR[OUT]:AES_CMAC;0x00', '1:9: a CR line is ALGORITHM;KEY;INPUT_FIELD [SCRIPT_CR_PARTS]'],
    ['CR[OUT]:AES_CMAC;K;IN;X', '1:9: a CR line is ALGORITHM;KEY;INPUT_FIELD [SCRIPT_CR_PARTS]'],
    [
      'CR[OUT]: rc5 ;0x00;IN',
      "1:9: unknown algorithm 'rc5': use one of AES_CMAC, CMAC, RETAIL_MAC, MAC3, DES3_ECB [SCRIPT_CR_ALGORITHM]",
    ],
    ['CR[OUT]:AES_CMAC; 0x0011;IN', '1:19: AES_CMAC needs a 32-byte key, got 2 [CR_BAD_KEY_LENGTH]'],
    ['CR[OUT]:AES_CMAC; 0xZZ;IN', "1:21: key: 'Z' is not a hex digit [SCRIPT_BAD_HEX]"],
    ['CR[OUT]:AES_CMAC;KEY;1 N', "1:22: '1 N' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]"],
    [
      'CR[OUT]: aes_cmac ;K-EY;IN',
      "1:20: 'K-EY' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]",
    ],
    [
      'CR[OUT]:DES3_ECB;0x0011223344556677;IN',
      '1:18: DES3_ECB needs a 16 or 24-byte key, got 8 [CR_BAD_KEY_LENGTH]',
    ],
    ['XRAW:00A40000', '1:1: expected a RAW, DYN, PIN or CR line [SCRIPT_UNKNOWN_LINE]'],
    ['RAW:00A40000 accept(9000) FF', "1:18: APDU: 'p' is not a hex digit [SCRIPT_BAD_HEX]"],
    ['PIN[OLD, 1X]:D', "1:10: '1X' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]"],
    [
      'RAW[ <bin>X]:00A40000',
      '1:6: unknown format <bin>: use <hex>, <string> or <base64> [SCRIPT_BAD_FORMAT]',
    ],
    ['DYN:00A40000;0x01;x', '1:19: expected length must be a decimal number 0..65536 [SCRIPT_BAD_LE]'],
    ['PIN[N]:;;T', "1:8: '' is not a field name (letters, digits, _) [SCRIPT_BAD_FIELD]"],
    [
      'PIN[N]:D; ;<hex>T',
      '1:12: the transport PIN field is always read as a UTF-8 string [SCRIPT_PIN_TRANSPORT]',
    ],
  ])('%s', (line, problem) => {
    expect(problemsOf(line)).toEqual([`s.apdu:${problem}`]);
  });

  it('reports every bad line of a script, by line number, CRLF or LF, blank and comment lines counted', () => {
    const text = [
      'RAW:00A4',
      'FOO',
      '',
      '# only a comment',
      'RAW:00 # c',
      `CR[OUT]:AES_CMAC;0x${KEY_32.slice(0, 32)};IN`,
    ];
    expect(problemsOf(text.join('\r\n'))).toEqual([
      's.apdu:1:5: an APDU needs CLA INS P1 P2 [SCRIPT_APDU_TOO_SHORT]',
      's.apdu:2:1: expected a RAW, DYN, PIN or CR line [SCRIPT_UNKNOWN_LINE]',
      's.apdu:5:5: an APDU needs CLA INS P1 P2 [SCRIPT_APDU_TOO_SHORT]',
      's.apdu:6:18: AES_CMAC needs a 32-byte key, got 16 [CR_BAD_KEY_LENGTH]',
    ]);
    expect(problemsOf(text.join('\n'))).toEqual(problemsOf(text.join('\r\n')));
  });
});

describe('good lines, read whole', () => {
  it('reads blanks before the colon, an empty output list, 0x inside a field name, a blank before a transport slot', () => {
    const lines = (text: string) => {
      const { script, problems } = parseScript(text, 's.apdu');
      expect(problems, text).toEqual([]);
      return script.lines;
    };
    expect(lines('RAW[X] : 00A40000')[0]).toMatchObject({ output: { name: 'X' } });
    expect(lines('RAW[ ]:00A40000')[0]).toMatchObject({ kind: 'RAW', output: undefined });
    expect(lines('RAW[]:00A40000')[0]).toMatchObject({ kind: 'RAW', output: undefined });
    expect(lines('DYN:00A40000;A0x1')[0]).toMatchObject({ data: [{ kind: 'field', ref: { name: 'A0x1' } }] });
    expect(lines('CR[O]:AES_CMAC;K0x1;IN')[0]).toMatchObject({
      key: { kind: 'field', ref: { name: 'K0x1' } },
    });
    expect(lines('PIN[N]:D;reg_exp(1) ;T')[0]).toMatchObject({ regExp: '1', transportPinField: 'T' });
  });

  it('reads the upper bound of the expected length, blanks around every part', () => {
    const { script, problems } = parseScript('DYN:00A40000 ; ; 65536', 's.apdu');
    expect(problems).toEqual([]);
    expect(script.lines).toEqual([
      {
        kind: 'DYN',
        line: 1,
        accept: [],
        output: undefined,
        header: Uint8Array.of(0, 0xa4, 0, 0),
        data: [],
        ne: 65536,
        separators: 2,
      },
    ]);
  });

  it('reads a DYN line of literals and fields, its output, its accepted status words', () => {
    const { script, problems } = parseScript(
      'DYN[O]:00A40000;0x3F00+<string>NAME+ 0x01;256 accept(9000,61XX) # x',
      's.apdu',
    );
    expect(problems).toEqual([]);
    expect(script.lines).toEqual([
      {
        kind: 'DYN',
        line: 1,
        accept: [
          { text: '9000', value: 0x9000, mask: 0xffff },
          { text: '61XX', value: 0x6100, mask: 0xff00 },
        ],
        output: { name: 'O', format: 'hex', explicitFormat: false },
        header: Uint8Array.of(0, 0xa4, 0, 0),
        data: [
          { kind: 'literal', bytes: Uint8Array.of(0x3f, 0x00) },
          { kind: 'field', ref: { name: 'NAME', format: 'string', explicitFormat: true } },
          { kind: 'literal', bytes: Uint8Array.of(0x01) },
        ],
        ne: 256,
        separators: 2,
      },
    ]);
  });

  it('reads a DYN line without data or length as no data and Ne 0', () => {
    const { script } = parseScript('DYN:00B00000', 's.apdu');
    expect(script.lines[0]).toMatchObject({ data: [], ne: 0, separators: 0 });
    expect(parseScript('DYN:00B00000;;0', 's.apdu').script.lines[0]).toMatchObject({ ne: 0, separators: 2 });
  });

  it('reads accept( … ) with blanks inside, and a RAW APDU with blanks', () => {
    const { script, problems } = parseScript('RAW:00A4 0000   accept( 9000 ,  6A82 )', 's.apdu');
    expect(problems).toEqual([]);
    expect(script.lines).toEqual([
      {
        kind: 'RAW',
        line: 1,
        accept: [
          { text: '9000', value: 0x9000, mask: 0xffff },
          { text: '6A82', value: 0x6a82, mask: 0xffff },
        ],
        output: undefined,
        apdu: Uint8Array.of(0, 0xa4, 0, 0),
      },
    ]);
  });

  it('reads an algorithm alias in any case, and field references for key and input', () => {
    const { script, problems } = parseScript('CR[OUT]: mac3 ;<hex>KEY;<base64>IN', 's.apdu');
    expect(problems).toEqual([]);
    expect(script.lines).toEqual([
      {
        kind: 'CR',
        line: 1,
        accept: [],
        output: { name: 'OUT', format: 'hex', explicitFormat: false },
        algorithm: 'RETAIL_MAC',
        key: { kind: 'field', ref: { name: 'KEY', format: 'hex', explicitFormat: true } },
        input: { name: 'IN', format: 'base64', explicitFormat: true },
      },
    ]);
  });

  it('marks a literal CR key, prefix and blanks excluded, as a secret at its line and column', () => {
    const text = `RAW:00A40000\nCR[OUT]:AES_CMAC; 0x${KEY_32} ;IN`;
    const { script, problems, secrets } = parseScript(text, 's.apdu');
    expect(problems).toEqual([]);
    expect(secrets).toEqual([{ line: 2, column: 19, length: 66 }]);
    expect(text.split('\n')[1]?.slice(18, 18 + 66)).toBe(`0x${KEY_32}`);
    expect(script.lines[1]).toMatchObject({ kind: 'CR', key: { kind: 'literal' } });
    // A key given by a field is no literal secret of the script.
    expect(parseScript('CR[OUT]:AES_CMAC;KEY;IN', 's.apdu').secrets).toEqual([]);
  });

  it('reads an empty transport slot after the rule, and an old and new PIN', () => {
    const { script, problems } = parseScript('PIN[OLD,NEW]:DESC;reg_exp([0-9]{4}); ', 's.apdu');
    expect(problems).toEqual([]);
    expect(script.lines[0]).toEqual({
      kind: 'PIN',
      line: 1,
      accept: [],
      oldPin: { name: 'OLD', format: 'hex', explicitFormat: false },
      newPin: { name: 'NEW', format: 'hex', explicitFormat: false },
      descriptionField: 'DESC',
      regExp: '[0-9]{4}',
      transportPinField: undefined,
    });
  });
});
