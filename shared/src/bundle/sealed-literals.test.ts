import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBundle } from './bundle';
import { bundleSha256 } from './bundle-sha256';
import {
  literalPlaceholder,
  literalSecretSpans,
  openSealedBundle,
  restoreLiterals,
  sealLiterals,
  type WireBundleFile,
} from './sealed-literals';

const CMK = '5A17C3D2E1F00B1E55EDC0DE5A17C3D2E1F00B1E55EDC0DE';
const CR_KEY = '404142434445464748494A4B4C4D4E4F';
const spaced = (hex: string) => hex.match(/../g)?.join(' ') ?? hex;

const encodingIni = (cmk: string) =>
  [
    'ApplicationList=Auth,Personalise',
    '[Auth]',
    'ApduFile=auth.apdu',
    'ApduResponseCodesField=AUTH_CODES',
    '[Personalise]',
    'PKCS11LibraryWindows64=C:/Program Files/Gemalto/IDPrimePKCS1164.dll',
    'SetPin=true',
    `CardManagerKey=${cmk}`,
    'NewPin=${NEW_PIN}',
    '',
  ].join('\n');
const authApdu = (key: string) =>
  [
    'DYN[CHALLENGE]:00840000;;16        # GET CHALLENGE',
    `CR[RESPONSE]:RETAIL_MAC;${key};CHALLENGE`,
    'DYN:00820008;RESPONSE;            # EXTERNAL AUTHENTICATE',
    '',
  ].join('\r\n');

const wire = (files: Record<string, string | Uint8Array>): WireBundleFile[] =>
  Object.entries(files).map(([name, content]) => ({
    name,
    base64: Buffer.from(typeof content === 'string' ? Buffer.from(content, 'utf8') : content).toString(
      'base64',
    ),
  }));
const sha256Of = (files: readonly WireBundleFile[]) =>
  bundleSha256(files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })));
const textOf = (files: readonly WireBundleFile[]) =>
  files.map((f) => Buffer.from(f.base64, 'base64').toString('utf8')).join('\n');
/** Every spelling of a hex value a reader of the wire could search for. */
const spellings = (hex: string) => {
  const bytes = Buffer.from(hex, 'hex');
  return [
    hex.toUpperCase(),
    hex.toLowerCase(),
    spaced(hex),
    bytes.toString('base64'),
    bytes.toString('base64url'),
  ];
};
let draws = 0;
const nonces = () => (draws++).toString(16).padStart(16, '0');

describe('literal secrets of a bundle, sealed for the wire', () => {
  it('takes the Card Manager Key of the .ini and the key of a CR line out of the files, and puts them back exactly', () => {
    const bundle = wire({
      'encoding.ini': encodingIni(CMK.toLowerCase()),
      'auth.apdu': authApdu(` 0x${spaced(CR_KEY)} `),
    });
    const asPushed = bundle.map((f) => ({
      name: f.name,
      bytes: new Uint8Array(Buffer.from(f.base64, 'base64')),
    }));
    expect(validateBundle({ files: asPushed }).problems).toEqual([]);
    const sealed = sealLiterals(bundle, nonces);
    const onWire = textOf(sealed.files);
    for (const form of [...spellings(CMK), ...spellings(CR_KEY)]) expect(onWire).not.toContain(form);
    expect(Object.values(sealed.literals).sort()).toEqual([CMK.toLowerCase(), `0x${spaced(CR_KEY)}`].sort());
    const restored = openSealedBundle(sealed.files, sealed.literals, sha256Of(bundle));
    expect(restored).toEqual(bundle);
  });

  it('leaves a bundle without literal secrets as it is', () => {
    const bundle = wire({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n',
      's.apdu': 'RAW:00CA010100\n',
    });
    expect(sealLiterals(bundle, nonces)).toEqual({ files: bundle, literals: {} });
  });

  it('keeps a byte-order mark, CRLF line ends and files that are neither .ini nor .apdu byte for byte', () => {
    const bundle = wire({
      'encoding.ini': `\uFEFF${encodingIni(CMK).replaceAll('\n', '\r\n')}`,
      'auth.apdu': `\uFEFF${authApdu(`0x${CR_KEY}`)}`,
      'notes.bin': Uint8Array.of(0xff, 0xfe, 0x00, 0x80),
    });
    const sealed = sealLiterals(bundle, nonces);
    expect(Object.keys(sealed.literals)).toHaveLength(2);
    expect(sealed.files[2]).toEqual(bundle[2]);
    expect(sha256Of(restoreLiterals(sealed.files, sealed.literals))).toBe(sha256Of(bundle));
  });

  it('seals every spelling the grammar accepts and restores the bundle exactly (property)', () => {
    const hexKey = (bytes: number) =>
      fc
        .tuple(
          fc.uint8Array({ minLength: bytes, maxLength: bytes }),
          fc.boolean(),
          fc.boolean(),
          fc.boolean(),
        )
        .map(([key, lower, blanks, upperPrefix]) => {
          const hex = Buffer.from(key).toString('hex');
          const digits = (lower ? hex : hex.toUpperCase()).match(/../g)?.join(blanks ? ' ' : '') ?? '';
          return { hex, written: `${upperPrefix ? '0X' : '0x'}${digits}` };
        });
    fc.assert(
      fc.property(hexKey(16), hexKey(24), (cr, cmk) => {
        const bundle = wire({
          'encoding.ini': encodingIni(cmk.written.slice(2).replaceAll(' ', '')),
          'auth.apdu': authApdu(cr.written),
        });
        const sealed = sealLiterals(bundle, nonces);
        const onWire = textOf(sealed.files);
        for (const form of [...spellings(cr.hex), ...spellings(cmk.hex)]) expect(onWire).not.toContain(form);
        expect(openSealedBundle(sealed.files, sealed.literals, sha256Of(bundle))).toEqual(bundle);
      }),
      { numRuns: 200 },
    );
  });

  it('never takes text an author wrote for a placeholder: the nonce is one the bundle does not hold', () => {
    const taken = literalPlaceholder('0000000000000000', 0);
    const bundle = wire({
      'encoding.ini': `Description=${taken}\n${encodingIni(CMK)}`,
      'auth.apdu': authApdu(`0x${CR_KEY}`),
    });
    const fixed = ['0000000000000000', '00000000000000ff'];
    const sealed = sealLiterals(bundle, () => fixed.shift() ?? 'ffffffffffffffff');
    expect(Object.keys(sealed.literals)[0]).toBe(literalPlaceholder('00000000000000ff', 0));
    expect(textOf(sealed.files)).toContain(taken);
    expect(openSealedBundle(sealed.files, sealed.literals, sha256Of(bundle))).toEqual(bundle);
    expect(() => sealLiterals(bundle, () => '0000000000000000')).toThrow(
      expect.objectContaining({ code: 'PLACEHOLDER_COLLISION' }),
    );
  });

  it('keeps every example encoding working: each literal secret sealed, each bundle restored exactly', () => {
    const examples = join(import.meta.dirname, '../../../examples');
    let sealedExamples = 0;
    for (const dir of readdirSync(examples)) {
      const names = readdirSync(join(examples, dir));
      if (!names.some((n) => n.endsWith('.ini'))) continue;
      const bundle = names.map((name) => ({
        name,
        base64: readFileSync(join(examples, dir, name)).toString('base64'),
      }));
      const written = bundle.flatMap((f) => {
        const text = Buffer.from(f.base64, 'base64').toString('utf8');
        return literalSecretSpans(f.name, text).map((s) =>
          text.split(/\r?\n/)[s.line - 1]?.slice(s.column - 1, s.column - 1 + s.length),
        );
      });
      const sealed = sealLiterals(bundle, nonces);
      expect(Object.values(sealed.literals)).toEqual(written);
      if (written.length > 0) sealedExamples++;
      expect(openSealedBundle(sealed.files, sealed.literals, sha256Of(bundle))).toEqual(bundle);
    }
    expect(sealedExamples).toBeGreaterThan(0); // gemalto-pkcs11 carries a factory CMK and PUKs
  });
});

describe('the agent refuses a bundle it cannot restore', () => {
  const bundle = wire({ 'encoding.ini': encodingIni(CMK), 'auth.apdu': authApdu(`0x${CR_KEY}`) });
  const sealed = sealLiterals(bundle, () => 'abcdefabcdefabcd');
  const [first, second] = Object.keys(sealed.literals) as [string, string];

  it('refuses a placeholder of the envelope that no sealed literal resolves, naming no value', () => {
    const { [second]: _dropped, ...partial } = sealed.literals;
    const refused = () => restoreLiterals(sealed.files, partial);
    expect(refused).toThrow(expect.objectContaining({ code: 'ENVELOPE_PLACEHOLDER_UNKNOWN' }));
    expect(refused).not.toThrow(new RegExp(`${CMK}|${CR_KEY}`, 'i'));
  });

  it('refuses a sealed literal whose placeholder is not in the bundle, or not a placeholder of this envelope', () => {
    const extra = { ...sealed.literals, [literalPlaceholder('abcdefabcdefabcd', 9)]: 'x' };
    expect(() => restoreLiterals(sealed.files, extra)).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_LITERAL_UNPLACED' }),
    );
    const foreign = { [first]: 'x', [literalPlaceholder('1111111111111111', 1)]: 'y' };
    expect(() => restoreLiterals(sealed.files, foreign)).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_LITERAL_UNPLACED' }),
    );
    expect(() => restoreLiterals(sealed.files, { CardManagerKey: CMK })).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_LITERAL_UNPLACED' }),
    );
  });

  it('refuses a bundle whose placeholders were never resolved, or resolved to other values, by its sha256', () => {
    expect(() => openSealedBundle(sealed.files, {}, sha256Of(bundle))).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_BUNDLE_MISMATCH' }),
    );
    const wrong = Object.fromEntries(Object.keys(sealed.literals).map((p) => [p, '00'.repeat(24)]));
    expect(() => openSealedBundle(sealed.files, wrong, sha256Of(bundle))).toThrow(
      expect.objectContaining({ code: 'ENVELOPE_BUNDLE_MISMATCH' }),
    );
  });
});
