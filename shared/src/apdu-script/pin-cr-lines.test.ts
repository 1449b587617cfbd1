import { describe, expect, it } from 'vitest';
import { parseScript } from './script-parser';

function parseOne(text: string) {
  const { script, problems } = parseScript(text, 's.apdu');
  return { line: script.lines[0], problems: problems.map((p) => p.describe()) };
}

describe('PIN lines', () => {
  it('reads the seed example with format, rule and transport PIN', () => {
    const { line, problems } = parseOne('PIN[<string>NEW_PIN]:AUTH_NAME;reg_exp([a-zA-Z0-9]{8,12});TPIN');
    expect(problems).toEqual([]);
    expect(line).toMatchObject({
      kind: 'PIN',
      newPin: { name: 'NEW_PIN', format: 'string' },
      oldPin: undefined,
      descriptionField: 'AUTH_NAME',
      regExp: '[a-zA-Z0-9]{8,12}',
      transportPinField: 'TPIN',
    });
  });

  it('reads a change-PIN line with old and new outputs', () => {
    const { line } = parseOne('PIN[<base64>OLD_PIN,NEW_PIN]:AUTH_NAME;reg_exp([a-zA-Z0-9]{8,12})');
    expect(line).toMatchObject({
      oldPin: { name: 'OLD_PIN', format: 'base64' },
      newPin: { name: 'NEW_PIN', format: 'hex' },
    });
    // Seed: "TRANSPORT_PIN_FIELD must be empty if OLD_PIN is set".
    expect(parseOne('PIN[OLD_PIN,NEW_PIN]:AUTH_NAME;reg_exp([0-9]{4});TRANSPORT_PIN_FIELD').problems).toEqual(
      [expect.stringContaining('[SCRIPT_PIN_SYNTAX]')],
    );
  });

  it('reads a minimal line: description only', () => {
    expect(parseOne('PIN[NEW_PIN]:SIGNATURE_NAME').line).toMatchObject({
      regExp: undefined,
      transportPinField: undefined,
    });
  });

  it('keeps # and ; inside reg_exp( … ) as part of the rule', () => {
    const { line, problems } = parseOne('PIN[P]:D;reg_exp([#;0-9]{4,8});T  # comment');
    expect(problems).toEqual([]);
    expect(line).toMatchObject({ regExp: '[#;0-9]{4,8}', transportPinField: 'T' });
  });

  it('reports an unclosed rule', () => {
    expect(parseOne('PIN[P]:D;reg_exp([0-9);T').problems).toEqual([
      expect.stringContaining('reg_exp( is not closed'),
    ]);
  });

  it('reports an invalid rule at its column', () => {
    expect(parseOne('PIN[P]:D;reg_exp(a{2,1});T').problems).toEqual([
      expect.stringMatching(/^s\.apdu:1:18: invalid regular expression/),
    ]);
  });
});

describe('CR lines', () => {
  it('reads a fixed key and format prefixes', () => {
    const key = '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF';
    const { line, problems } = parseOne(`CR[<base64>RESPONSE]:AES_CMAC;0x${key};<string>CHALLENGE`);
    expect(problems).toEqual([]);
    expect(line).toMatchObject({
      kind: 'CR',
      algorithm: 'AES_CMAC',
      key: { kind: 'literal' },
      input: { name: 'CHALLENGE', format: 'string' },
      output: { name: 'RESPONSE', format: 'base64' },
    });
  });

  it('reads a key taken from a field and the MAC3 alias', () => {
    expect(parseOne('CR[RESPONSE]:MAC3;ADMIN_KEY;CHALLENGE').line).toMatchObject({
      algorithm: 'RETAIL_MAC',
      key: { kind: 'field', ref: { name: 'ADMIN_KEY' } },
    });
  });

  it('refuses a fixed key of the wrong length', () => {
    expect(parseOne('CR[R]:DES3_ECB;0x0011;C').problems).toEqual([
      expect.stringContaining('[CR_BAD_KEY_LENGTH]'),
    ]);
  });
});

describe('script problems', () => {
  it('reports each bad line with file:line:col and keeps parsing', () => {
    const text = [
      'RAW:00CA01',
      'RAW:00ZZ0102',
      'FOO:00',
      'DYN:00A4;;999999',
      'DYN:00AABBCC;<utf8>X',
      'RAW[A,B]:00000000',
    ].join('\n');
    const { problems } = parseScript(text, 'bad.apdu');
    expect(problems.map((p) => p.describe())).toEqual([
      'bad.apdu:1:5: an APDU needs CLA INS P1 P2 [SCRIPT_APDU_TOO_SHORT]',
      "bad.apdu:2:7: APDU: 'Z' is not a hex digit [SCRIPT_BAD_HEX]",
      'bad.apdu:3:1: expected a RAW, DYN, PIN or CR line [SCRIPT_UNKNOWN_LINE]',
      'bad.apdu:4:5: a DYN header is CLA INS P1 P2 (4 bytes), got 2 [SCRIPT_DYN_HEADER]',
      'bad.apdu:5:14: unknown format <utf8>: use <hex>, <string> or <base64> [SCRIPT_BAD_FORMAT]',
      'bad.apdu:6:5: a RAW line has one output field [SCRIPT_TOO_MANY_OUTPUTS]',
    ]);
  });

  it('reads accepted status words', () => {
    const { line } = parseOne('RAW:00A4080C022F02 accept(6A82,63CX) # tolerate a missing file');
    expect(line?.accept.map((p) => p.text)).toEqual(['6A82', '63CX']);
  });
});
