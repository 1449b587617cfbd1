import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { readZipBundle, validateBundle } from './bundle';

const utf8 = (text: string) => new TextEncoder().encode(text);
const encoding = 'ApplicationList=A,B\n[A]\nApduFile=read.apdu\n[B]\nApduFile=pin.apdu\n';
const read = 'RAW[V]:00CA018202\n';
const pin = 'PIN[<string>NEW_PIN]:NAME;reg_exp([0-9]{4,8});TPIN\nCR[R]:AES_CMAC;CR_KEY;CH\n';

describe('bundles', () => {
  it('reads a zip and validates the encoding with its scripts', () => {
    const zip = zipSync({
      'enc/encoding.ini': utf8(encoding),
      'enc/read.apdu': utf8(read),
      'enc/pin.apdu': utf8(pin),
    });
    const { bundle, problems } = validateBundle(readZipBundle(zip));
    expect(problems).toEqual([]);
    expect([...(bundle?.scripts.keys() ?? [])]).toEqual(['read.apdu', 'pin.apdu']);
    // PIN outputs, transport PINs and CR key fields are secret wherever they go next.
    expect(bundle?.secretFields).toEqual(['CR_KEY', 'NEW_PIN', 'TPIN']);
  });

  it('names the ApduFile line when the script is not in the bundle', () => {
    const { problems } = validateBundle({
      files: [
        { name: 'e.ini', bytes: utf8(encoding) },
        { name: 'read.apdu', bytes: utf8(read) },
      ],
    });
    expect(problems.map((p) => p.describe())).toEqual([
      'e.ini:5:10: [B] names pin.apdu, which is not in the bundle (encoding would fail) [BUNDLE_MISSING_SCRIPT]',
    ]);
  });

  it('reports script problems with the script file name', () => {
    const { problems } = validateBundle({
      files: [
        { name: 'e.ini', bytes: utf8(encoding) },
        { name: 'read.apdu', bytes: utf8('RAW:00CA01XX\n') },
        { name: 'pin.apdu', bytes: utf8(pin) },
      ],
    });
    expect(problems.map((p) => p.describe())).toEqual([
      "read.apdu:1:11: APDU: 'X' is not a hex digit [SCRIPT_BAD_HEX]",
    ]);
  });

  it('refuses a bundle without exactly one encoding', () => {
    expect(validateBundle({ files: [] }).problems.map((p) => p.code)).toEqual(['BUNDLE_NO_ENCODING']);
    const two = {
      files: [
        { name: 'a.ini', bytes: utf8('') },
        { name: 'b.ini', bytes: utf8('') },
      ],
    };
    expect(validateBundle(two).problems.map((p) => p.code)).toEqual(['BUNDLE_SEVERAL_ENCODINGS']);
  });

  it('refuses bytes that are not a zip with a typed error', () => {
    expect(() => readZipBundle(utf8('not a zip'))).toThrow(
      expect.objectContaining({ code: 'BUNDLE_BAD_ZIP' }),
    );
  });

  it('refuses text that is not UTF-8', () => {
    const { problems } = validateBundle({
      files: [{ name: 'e.ini', bytes: Uint8Array.of(0xff, 0xfe, 0x41) }],
    });
    expect(problems.map((p) => p.code)).toEqual(['BUNDLE_NOT_UTF8']);
  });
});

describe('bundles from arbitrary bytes', () => {
  it('never throw anything but a CardfleetError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ maxLength: 200 }), (zip, text) => {
        try {
          validateBundle(readZipBundle(zip));
        } catch (error) {
          expect(error).toBeInstanceOf(CardfleetError);
        }
        const result = validateBundle({
          files: [
            { name: 'e.ini', bytes: text },
            { name: 'x.apdu', bytes: text },
          ],
        });
        for (const p of result.problems) expect(p).toBeInstanceOf(CardfleetError);
      }),
      { numRuns: 1000 },
    );
    // 1,000 generated bundles take ~2 s alone; the suite runs it beside rig servers on 2 cores.
  }, 30_000);
});
