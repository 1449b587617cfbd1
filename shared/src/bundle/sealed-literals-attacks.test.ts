import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import {
  literalPlaceholder,
  literalSecretSpans,
  restoreLiterals,
  sealLiterals,
  type WireBundleFile,
} from './sealed-literals';

/**
 * Attacks on the literal secrets sealed to the agent (docs/messaging.md, "Sealed
 * literals"; docs/security.md), each failing when the check that stops it is removed
 * (docs/mutation-testing.md).
 */
const CMK = '5A17C3D2E1F00B1E55EDC0DE5A17C3D2E1F00B1E55EDC0DE';
const NONCE = 'abcdefabcdefabcd';
const ini = (cmk: string) => `SetPin=true\nCardManagerKey=${cmk}\n`;
const file = (name: string, content: string | Uint8Array): WireBundleFile => ({
  name,
  base64: Buffer.from(content).toString('base64'),
});
const text = (f: WireBundleFile | undefined) => Buffer.from(f?.base64 ?? '', 'base64').toString('utf8');

describe('sealed literal attacks', () => {
  it('seals the key of an .INI in capitals too (the extension is no way around the sealing)', () => {
    const sealed = sealLiterals([file('ENCODING.INI', ini(CMK))], () => NONCE);
    expect(text(sealed.files[0])).not.toContain(CMK);
    expect(Object.values(sealed.literals)).toEqual([CMK]);
  });

  it('refuses a placeholder copied to a second place in the bundle (a secret used where it was not written)', () => {
    const sealed = sealLiterals([file('encoding.ini', ini(CMK))], () => NONCE);
    const placeholder = literalPlaceholder(NONCE, 0);
    const twice = [sealed.files[0] as WireBundleFile, file('notes.ini', `Description=${placeholder}\n`)];
    expect(() => restoreLiterals(twice, sealed.literals)).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_LITERAL_UNPLACED' }),
    );
  });

  it('restores a placeholder in any file of the bundle, and leaves files without one as they are', () => {
    const placeholder = literalPlaceholder(NONCE, 0);
    const files = [file('readme.txt', 'no secrets'), file('x.bin', `a${placeholder}b`)];
    expect(restoreLiterals(files, { [placeholder]: 'K' }).map(text)).toEqual(['no secrets', 'aKb']);
  });

  it('refuses a nonce that is not 16 lowercase hex digits (a placeholder an author could write)', () => {
    for (const bad of ['ABCDEFABCDEFABCD', 'abc', `${NONCE}0`, `x${NONCE}`])
      expect(() => sealLiterals([file('encoding.ini', ini(CMK))], () => bad)).toThrow(TypeError);
  });

  it('refuses a bundle whose text is not UTF-8, before and after the wire', () => {
    const broken = new Uint8Array([0x43, 0x4d, 0x4b, 0x3d, 0xff, 0xfe, 0x0a]);
    expect(() => sealLiterals([file('encoding.ini', broken)], () => NONCE)).toThrow(
      expect.objectContaining({ code: 'BUNDLE_NOT_UTF8' }),
    );
    const placeholder = literalPlaceholder(NONCE, 0);
    const marked = file('encoding.ini', Buffer.concat([Buffer.from(placeholder), Buffer.from([0xff])]));
    expect(() => restoreLiterals([marked], { [placeholder]: CMK })).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_PLACEHOLDER_UNKNOWN' }),
    );
  });

  it('refuses sealed literals of two envelopes mixed, even when each is placed once', () => {
    const a = literalPlaceholder(NONCE, 0);
    const b = literalPlaceholder('1111111111111111', 0);
    expect(() => restoreLiterals([file('x.ini', `${a}\n${b}\n`)], { [a]: '1', [b]: '2' })).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_LITERAL_UNPLACED' }),
    );
  });
});

describe('sealed literals in detail', () => {
  const crLine = 'CR[OUT]:RETAIL_MAC;0x404142434445464748494A4B4C4D4E4F;IN\n';
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('look for literal secrets in .ini and .apdu files only, whatever the case of the extension', () => {
    expect(literalSecretSpans('notes.txt', crLine)).toEqual([]);
    expect(literalSecretSpans('notes.txt', ini(CMK))).toEqual([]);
    expect(literalSecretSpans('AUTH.APDU', crLine)).toEqual([{ line: 1, column: 20, length: 34 }]);
    expect(literalSecretSpans('E.Ini', ini(CMK))).toEqual([{ line: 2, column: 16, length: 48 }]);
  });

  it('leave a file without literal secrets exactly as it came, its base64 spelling included', () => {
    const unpadded = Buffer.from('Description=x\n').toString('base64').replace(/=+$/, '');
    const files = [
      { name: 'e.ini', base64: unpadded },
      { name: 's.apdu', base64: unpadded },
    ];
    expect(sealLiterals(files, () => NONCE)).toEqual({ files, literals: {} });
  });

  it('give up after four nonces that all occur in the bundle', () => {
    let calls = 0;
    const error = refusal(() =>
      sealLiterals([file('e.ini', `Description=${literalPlaceholder(NONCE, 0)}\n${ini(CMK)}`)], () => {
        calls++;
        return NONCE;
      }),
    );
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(CardfleetError);
    expect((error as CardfleetError).code).toBe('PLACEHOLDER_COLLISION');
    expect((error as CardfleetError).message).toBe(
      "no placeholder nonce free of the bundle's text in 4 draws",
    );
  });

  it('take the fourth nonce when it is the first one free', () => {
    const draws = [NONCE, NONCE, NONCE, '0123456789abcdef'];
    const sealed = sealLiterals(
      [file('e.ini', `Description=${literalPlaceholder(NONCE, 0)}\n${ini(CMK)}`)],
      () => String(draws.shift()),
    );
    expect(Object.keys(sealed.literals)).toEqual([literalPlaceholder('0123456789abcdef', 0)]);
  });

  it('say that literals of two envelopes, or not placeholders at all, are not of one envelope', () => {
    const a = literalPlaceholder(NONCE, 0);
    const b = literalPlaceholder('1111111111111111', 0);
    for (const literals of [{ [a]: '1', [b]: '2' }, { CardManagerKey: CMK }]) {
      const error = refusal(() => restoreLiterals([file('x.ini', `${a}\n${b}\n`)], literals));
      expect((error as CardfleetError).code).toBe('ENVELOPE_LITERAL_UNPLACED');
      expect((error as CardfleetError).message).toBe(
        'the sealed literals are not placeholders of one envelope',
      );
    }
  });

  it('name the file that is not UTF-8 and keep the decoder error as the cause', () => {
    const error = refusal(() =>
      sealLiterals([file('bad.ini', new Uint8Array([0x41, 0x3d, 0xff]))], () => NONCE),
    );
    expect((error as CardfleetError).code).toBe('BUNDLE_NOT_UTF8');
    expect((error as CardfleetError).message).toBe('bad.ini is not UTF-8 text');
    expect((error as CardfleetError).cause).toBeInstanceOf(TypeError);
  });
});
