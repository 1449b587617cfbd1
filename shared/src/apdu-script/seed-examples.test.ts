import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes/hex';
import type { ScriptLine } from './script-ast';
import { compileApdu, type FieldValues, redactedApduHex } from './script-compiler';
import { parseScript } from './script-parser';

/**
 * Every RAW/DYN example and table row of the APDU seed (encoding-apdu-scripts.txt),
 * compiled with sample field values, must give the APDU the seed describes.
 */
const fields: FieldValues = {
  NEW_PUK: '3132333435363738',
  NEW_PIN: '31323334',
  FIELD_A: 'A1A2',
  FIELD_B: 'B1B2B3',
  RESPONSE: '0102030405060708',
  NEW_KEY: '00112233445566778899AABBCCDDEEFF0011223344556677',
};

function only(text: string): ScriptLine {
  const { script, problems } = parseScript(text, 'seed.apdu');
  expect(problems.map((p) => p.describe())).toEqual([]);
  expect(script.lines).toHaveLength(1);
  return script.lines[0] as ScriptLine;
}

function compiled(text: string): string {
  const line = only(text);
  if (line.kind !== 'RAW' && line.kind !== 'DYN') throw new Error('not an APDU line');
  return toHex(compileApdu(line, fields).bytes);
}

describe('APDU seed examples compile to the APDUs they document', () => {
  it.each([
    // "Spaces in APDU commands": RAW [OUT]: 00CA0182 02
    ['RAW [OUT]: 00CA0182 02  # same as above', '00CA018202', 'OUT'],
    ['RAW:00AABBCC   # also possible since 20.11', '00AABBCC', undefined],
    ['RAW:00CA018202                          # no output', '00CA018202', undefined],
    ['RAW[MY_OUT_FIELD]:00CA018202            # output as hex, default', '00CA018202', 'MY_OUT_FIELD'],
    ['RAW[<hex>MY_OUT_FIELD]:00CA018202       # output as hex, explicit', '00CA018202', 'MY_OUT_FIELD'],
    ['RAW[<base64>MY_OUT_FIELD]:00CA018202    # output as base64', '00CA018202', 'MY_OUT_FIELD'],
    ['RAW[<string>MY_OUT_FIELD]:00CA018202    # output as UTF-8 string', '00CA018202', 'MY_OUT_FIELD'],
    ['RAW[CARDOS_VERSION]:00CA018202  # read CardOS version', '00CA018202', 'CARDOS_VERSION'],
    ['RAW:00A4080C022F02                        # select EF GDO file', '00A4080C022F02', undefined],
  ])('%s', (text, apdu, output) => {
    expect(compiled(text)).toBe(apdu);
    const line = only(text);
    expect(line.kind === 'RAW' ? line.output?.name : 'not RAW').toBe(output);
  });

  it.each([
    // "Command data composed of NEW_PUK and NEW_PIN": Lc = 8 + 4 = 0C
    ['DYN:002C0001;NEW_PUK+NEW_PIN            # skip empty brackets', '002C00010C313233343536373831323334'],
    ['DYN:002C0001;<hex>NEW_PUK+<hex>NEW_PIN \t# variable format', '002C00010C313233343536373831323334'],
    // "No command data, expect 255 bytes": Le = FF
    ['DYN[<hex>OUTPUT]:00CA0188;;255 # variable format', '00CA0188FF'],
    ['DYN[PACKAGE_INFO]:00CA0188;;255 # read package info', '00CA0188FF'],
    // DYN format table
    ['DYN:00AABBCC', '00AABBCC'],
    ['DYN[]:00AABBCC', '00AABBCC'],
    ['DYN[]:00AABBCC;;', '00AABBCC'],
    ['DYN[]:00AABBCC;FIELD_A', '00AABBCC02A1A2'],
    ['DYN[]:00AABBCC;FIELD_A;', '00AABBCC02A1A2'],
    ['DYN[]:00AABBCC;FIELD_A;0', '00AABBCC02A1A2'],
    // 300 > 256 forces extended length: 00 | Lc 0005 | data | Le 012C
    ['DYN[MY_RESULT]:00AABBCC;FIELD_A+FIELD_B;300', '00AABBCC000005A1A2B1B2B3012C'],
    ['DYN[OUTPUT]:00AABBCC;;13', '00AABBCC0D'],
    ['DYN:00AABBCC;0xF00D+FIELD_A+0xC0FFEE;0 ', '00AABBCC07F00DA1A2C0FFEE'],
    // Challenge/response example
    ['DYN[CHALLENGE]:00840000;;16              # get 16 bytes challenge', '0084000010'],
    [
      'DYN:008200 08;RESPONSE;                # EXTERNAL AUTHENTICATE APDU for keyId 8',
      '00820008080102030405060708',
    ],
    [
      'DYN:902410 08;0x8F18+NEW_KEY           # change key with keyId 8 to NEW_KEY with options 8F18',
      '902410081A8F1800112233445566778899AABBCCDDEEFF0011223344556677',
    ],
  ])('%s', (text, apdu) => {
    expect(compiled(text)).toBe(apdu);
  });

  it('resolves an empty or missing field to no bytes (seed: "empty byte array")', () => {
    const line = only('DYN:00AABBCC;FIELD_A+EMPTY+MISSING');
    if (line.kind !== 'DYN') throw new Error('not DYN');
    expect(toHex(compileApdu(line, { FIELD_A: 'A1', EMPTY: '' }).bytes)).toBe('00AABBCC01A1');
  });

  it('reads <string> and <base64> inputs', () => {
    const line = only('DYN:00DA0000;<string>NAME+<base64>BLOB');
    if (line.kind !== 'DYN') throw new Error('not DYN');
    expect(toHex(compileApdu(line, { NAME: 'Hi', BLOB: 'AQI=' }).bytes)).toBe('00DA0000044869' + '0102');
  });

  it('redacts the bytes of secret fields in a trace', () => {
    const line = only('DYN:902410 08;0x8F18+NEW_KEY');
    if (line.kind !== 'DYN') throw new Error('not DYN');
    const hex = redactedApduHex(compileApdu(line, fields), (name) => name === 'NEW_KEY');
    expect(hex).toBe(`902410081A8F18${'**'.repeat(24)}`);
  });
});
