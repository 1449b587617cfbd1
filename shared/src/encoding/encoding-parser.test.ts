import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEncoding } from './encoding-parser';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const describeAll = (text: string) => parseEncoding(text, 'e.ini').problems.map((p) => p.describe());

describe('encoding descriptions', () => {
  it('parses the cleaned Gemalto seed examples with values kept verbatim', () => {
    const { encoding, problems } = parseEncoding(
      read('examples/gemalto-pkcs11/encoding.ini'),
      'encoding.ini',
    );
    expect(problems.map((p) => p.describe())).toEqual([]);
    expect(encoding?.applications.map((a) => `${a.name}:${a.kind}`)).toEqual([
      'Application_Main:pkcs11',
      'Application_Signature:pkcs11',
      'Application_SignCert:pkcs11',
      'Application_AuthCert:pkcs11',
    ]);
    const main = encoding?.applications[0];
    expect(main?.settings.PKCS11LibraryWindows32?.value).toEqual({
      kind: 'literal',
      text: 'C:/Program Files (x86)/Gemalto/IDGo 800 PKCS#11/IDPrimePKCS11.dll',
    });
    expect(encoding?.applications[1]?.settings.Location?.value).toEqual({
      kind: 'literal',
      text: '#signature',
    });
    expect(main?.settings.NewCardManagerKey?.secret).toBe(true);
    expect(encoding?.secretFields).toEqual(['NEW_PIN', 'NEW_SIGN_PIN']);
  });

  it('gives file:line:col errors for the garbled web copy instead of crashing', () => {
    const { problems } = parseEncoding(read('test/fixtures/seeds/gemalto-web-copy.ini'), 'web.ini');
    expect(problems.map((p) => p.describe())).toEqual([
      'web.ini:4:24: PKCS11LibraryWindows32: expected a Windows DLL path like C:/…/name.dll or a DLL name [ENCODING_BAD_VALUE]',
      'web.ini:5:24: PKCS11LibraryWindows64: expected a Windows DLL path like C:/…/name.dll or a DLL name [ENCODING_BAD_VALUE]',
      'web.ini:6:1: expected key=value, a [Section], a comment or a blank line [INI_EXPECTED_KEY_VALUE]',
      'web.ini:8:1: expected key=value, a [Section], a comment or a blank line [INI_EXPECTED_KEY_VALUE]',
      // The guide's own line: the "comment" would reach the agent as part of the module name.
      'web.ini:9:27: PKCS11Library: expected a module file name or path (.dll, .so, .dylib); # and ; start a comment only at the start of a line — put the comment on its own line [ENCODING_BAD_VALUE]',
    ]);
  });

  it('treats # and ; as comments only at the start of a line', () => {
    const text =
      'ApplicationList=A\n  ; comment\n[A]\n  # comment\nPKCS11Library=eTPKCS11.dll\nTokenLabel=card # not a comment\nInitToken=true\n';
    const { encoding, problems } = parseEncoding(text, 'e.ini');
    expect(problems).toEqual([]);
    expect(encoding?.applications[0]?.settings.TokenLabel?.value).toEqual({
      kind: 'literal',
      text: 'card # not a comment',
    });
  });

  it('runs applications in ApplicationList order, not file order', () => {
    const text = 'ApplicationList=B, A\n[A]\nApduFile=a.apdu\n[B]\nApduFile=b.apdu\n';
    expect(parseEncoding(text, 'e.ini').encoding?.applications.map((a) => a.name)).toEqual(['B', 'A']);
  });

  it('requires every listed application to exist, pointing at its name', () => {
    expect(describeAll('ApplicationList=A,Missing\n[A]\nApduFile=a.apdu\n')).toEqual([
      'e.ini:1:19: ApplicationList names [Missing] but there is no such section [ENCODING_MISSING_APPLICATION]',
    ]);
  });

  it('accepts the legacy CardOS keys with a deprecation warning', () => {
    const result = parseEncoding(
      'ApplicationList=A\n[A]\nCardOSApduFile=a.apdu\nCardOSApduResponseCodesField=RC\n',
      'e.ini',
    );
    expect(result.problems).toEqual([]);
    expect(result.encoding?.applications[0]).toMatchObject({
      kind: 'apdu',
      apduFile: 'a.apdu',
      responseCodesField: 'RC',
    });
    expect(result.warnings.map((w) => w.code)).toEqual([
      'ENCODING_DEPRECATED_KEY',
      'ENCODING_DEPRECATED_KEY',
    ]);
  });

  it('requires a Card Manager Key of exactly 24 bytes and never echoes it', () => {
    const problems = describeAll(
      `ApplicationList=A\n[A]\nPKCS11Library=x.dll\nInitToken=true\nCardManagerKey=${'AB'.repeat(23)}\n`,
    );
    expect(problems).toEqual([
      'e.ini:5:16: CardManagerKey: expected exactly 24 bytes (48 hex digits), got 46 digits [ENCODING_BAD_VALUE]',
    ]);
    expect(problems.join('')).not.toContain('ABAB');
  });

  it('refuses RSA sizes and exponents the Gemalto middleware does not support', () => {
    expect(
      describeAll(
        'ApplicationList=A\n[A]\nPKCS11Library=x.dll\nKeyPairLabel=k\nKeySize=3072\nPublicExponent=03\n',
      ),
    ).toEqual([
      'e.ini:5:9: KeySize: allowed values are 1024, 2048 [ENCODING_BAD_VALUE]',
      'e.ini:6:16: PublicExponent: expected one of 010001, 0x010001 [ENCODING_BAD_VALUE]',
    ]);
  });

  it('reports unknown keys, mixed kinds and misplaced keys', () => {
    expect(
      describeAll(
        'ApplicationList=A,B\nFoo=1\n[A]\nApduFile=a.apdu\nInitToken=true\n[B]\nPKCS11Library=x.dll\nApduResponseCodesField=X\nNewPin=1\n',
      ),
    ).toEqual([
      'e.ini:2:1: unknown key Foo in the encoding-wide keys [ENCODING_UNKNOWN_KEY]',
      'e.ini:3:1: [A] mixes apdu and pkcs11 steps: use one application per kind [ENCODING_APPLICATION_KIND]',
      'e.ini:8:1: ApduResponseCodesField does not belong in an pkcs11 application [ENCODING_KEY_MISPLACED]',
    ]);
  });

  it('reads ${FIELD} references and marks fields behind secret keys', () => {
    const { encoding } = parseEncoding(
      'ApplicationList=A\n[A]\nPKCS11Library=x.dll\nInitToken=true\nCardManagerKey=${CMK}\nTokenLabel=${NAME}\n',
      'e.ini',
    );
    expect(encoding?.applications[0]?.settings.CardManagerKey?.value).toEqual({ kind: 'field', name: 'CMK' });
    expect(encoding?.secretFields).toEqual(['CMK']);
  });

  it('refuses a reference embedded in text', () => {
    expect(
      describeAll('ApplicationList=A\n[A]\nPKCS11Library=x.dll\nTokenLabel=card-${NAME}\nInitToken=1\n'),
    ).toEqual([
      'e.ini:4:17: a field reference is the whole value: ${FIELD_NAME} [ENCODING_BAD_FIELD_REFERENCE]',
    ]);
  });
});
