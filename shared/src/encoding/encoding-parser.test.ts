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

describe('encoding descriptions in detail', () => {
  const warningsOf = (text: string) => parseEncoding(text, 'e.ini').warnings.map((w) => w.describe());

  it('give the whole model of a valid description: settings with positions and secrecy, applications in order', () => {
    const text = [
      'ApplicationList=A, P',
      'SecretFields= B , A',
      '[A]',
      'ApduFile=a.apdu',
      'ApduResponseCodesField=RC',
      '[P]',
      'PKCS11Library=x.so',
      'Pin=?prompt',
      'NewPin=?prompt',
      'CardManagerKey=${CMK}',
      'TokenLabel=${NAME}',
    ].join('\n');
    expect(parseEncoding(text, 'e.ini')).toEqual({
      encoding: {
        file: 'e.ini',
        settings: {
          ApplicationList: {
            key: 'ApplicationList',
            value: { kind: 'literal', text: 'A, P' },
            secret: false,
            line: 1,
            column: 17,
          },
          SecretFields: {
            key: 'SecretFields',
            value: { kind: 'literal', text: 'B , A' },
            secret: false,
            line: 2,
            column: 15,
          },
        },
        applications: [
          {
            kind: 'apdu',
            name: 'A',
            line: 3,
            settings: {
              ApduFile: {
                key: 'ApduFile',
                value: { kind: 'literal', text: 'a.apdu' },
                secret: false,
                line: 4,
                column: 10,
              },
              ApduResponseCodesField: {
                key: 'ApduResponseCodesField',
                value: { kind: 'literal', text: 'RC' },
                secret: false,
                line: 5,
                column: 24,
              },
            },
            apduFile: 'a.apdu',
            responseCodesField: 'RC',
          },
          {
            kind: 'pkcs11',
            name: 'P',
            line: 6,
            settings: {
              PKCS11Library: {
                key: 'PKCS11Library',
                value: { kind: 'literal', text: 'x.so' },
                secret: false,
                line: 7,
                column: 15,
              },
              Pin: { key: 'Pin', value: { kind: 'prompt' }, secret: true, line: 8, column: 5 },
              NewPin: { key: 'NewPin', value: { kind: 'prompt' }, secret: true, line: 9, column: 8 },
              CardManagerKey: {
                key: 'CardManagerKey',
                value: { kind: 'field', name: 'CMK' },
                secret: true,
                line: 10,
                column: 16,
              },
              TokenLabel: {
                key: 'TokenLabel',
                value: { kind: 'field', name: 'NAME' },
                secret: false,
                line: 11,
                column: 12,
              },
            },
          },
        ],
        secretFields: ['A', 'B', 'CMK'],
      },
      problems: [],
      warnings: [],
    });
  });

  it('give an APDU application without response codes field none', () => {
    const { encoding } = parseEncoding('ApplicationList=A\n[A]\nApduFile=a.apdu\n', 'e.ini');
    expect(encoding?.applications[0]).toMatchObject({ apduFile: 'a.apdu', responseCodesField: undefined });
    expect(encoding?.secretFields).toEqual([]);
  });

  it('require ApplicationList, at the start of the file, and warn of every section then', () => {
    const result = parseEncoding('[A]\nApduFile=a.apdu\n', 'e.ini');
    expect(result.encoding).toBeUndefined();
    expect(result.problems.map((p) => p.describe())).toEqual([
      'e.ini:1:1: ApplicationList= is missing (it names the applications in order) [ENCODING_NO_APPLICATION_LIST]',
    ]);
    expect(result.warnings.map((w) => w.describe())).toEqual([
      'e.ini:1:1: [A] is not in ApplicationList and never runs [ENCODING_UNLISTED_SECTION]',
    ]);
  });

  it('run no application when ApplicationList itself is malformed', () => {
    expect(describeAll('ApplicationList=A-B\n[A-B]\nApduFile=a.apdu\n')).toEqual([
      "e.ini:1:17: ApplicationList: 'A-B' is not a name (letters, digits, _) [ENCODING_BAD_VALUE]",
    ]);
  });

  it('point at each name of ApplicationList, blanks included', () => {
    expect(describeAll('ApplicationList= A ,  Missing, A\n[A]\nApduFile=a.apdu\n')).toEqual([
      'e.ini:1:23: ApplicationList names [Missing] but there is no such section [ENCODING_MISSING_APPLICATION]',
      'e.ini:1:32: A is listed twice [ENCODING_APPLICATION_TWICE]',
    ]);
  });

  it('warn of a section ApplicationList does not name, at its header', () => {
    expect(warningsOf('ApplicationList=A\n[A]\nApduFile=a.apdu\n[B]\nApduFile=b.apdu\n')).toEqual([
      'e.ini:4:1: [B] is not in ApplicationList and never runs [ENCODING_UNLISTED_SECTION]',
    ]);
  });

  it('refuse an application that does nothing, or mixes all three kinds', () => {
    expect(describeAll('ApplicationList=A\nDescription=x\n\n[A]\nLocation=#main\n')).toEqual([
      'e.ini:4:1: [A] does nothing: give it an ApduFile, a LicenseAction or a PKCS#11 step [ENCODING_APPLICATION_KIND]',
    ]);
    expect(describeAll('ApplicationList=A\n[A]\nApduFile=a.apdu\nLicenseAction=ensure\nSetPin=1\n')).toEqual([
      'e.ini:2:1: [A] mixes apdu and license and pkcs11 steps: use one application per kind [ENCODING_APPLICATION_KIND]',
    ]);
  });

  it('refuse a legacy key next to its replacement, keeping the deprecation warning', () => {
    const result = parseEncoding('ApplicationList=A\n[A]\nApduFile=a.apdu\nCardOSApduFile=b.apdu\n', 'e.ini');
    expect(result.problems.map((p) => p.describe())).toEqual([
      'e.ini:4:1: CardOSApduFile and ApduFile are the same setting: keep ApduFile [ENCODING_KEY_TWICE]',
    ]);
    expect(result.warnings.map((w) => w.describe())).toEqual([
      'e.ini:4:1: CardOSApduFile is deprecated: use ApduFile [ENCODING_DEPRECATED_KEY]',
    ]);
  });

  it('store a legacy key under its replacement', () => {
    const { encoding } = parseEncoding('ApplicationList=A\n[A]\nCardOSApduFile=a.apdu\n', 'e.ini');
    expect(encoding?.applications[0]?.settings).toEqual({
      ApduFile: {
        key: 'ApduFile',
        value: { kind: 'literal', text: 'a.apdu' },
        secret: false,
        line: 3,
        column: 16,
      },
    });
  });

  it('refuse keys out of their place, encoding-wide and per kind', () => {
    expect(describeAll('ApplicationList=A\nPin=1\n[A]\nApduFile=a.apdu\n')).toEqual([
      'e.ini:2:1: Pin does not belong in the encoding-wide keys [ENCODING_KEY_MISPLACED]',
    ]);
    expect(describeAll('ApplicationList=A\n[A]\nApduFile=a.apdu\nDescription=x\nBogus=1\n')).toEqual([
      'e.ini:4:1: Description does not belong in an apdu application [ENCODING_KEY_MISPLACED]',
      'e.ini:5:1: unknown key Bogus in an apdu application [ENCODING_UNKNOWN_KEY]',
    ]);
  });

  it('take ?prompt only on PIN keys of PKCS#11 applications, not of license ones', () => {
    expect(
      describeAll('ApplicationList=L\n[L]\nPKCS11Library=x.so\nLicenseAction=ensure\nPin=?prompt\n'),
    ).toEqual([
      'e.ini:5:5: Pin: ?prompt is for the PIN and PUK keys of PKCS#11 applications [ENCODING_BAD_VALUE]',
    ]);
    expect(
      describeAll('ApplicationList=L\n[L]\nPKCS11Library=x.so\nLicenseAction=ensure\nPin=1234\n'),
    ).toEqual([]);
  });

  it('refuse a field reference on a key that takes a fixed value, pointing at the value', () => {
    expect(
      describeAll('ApplicationList=P\n[P]\nPKCS11Library=x.so\nKeyPairLabel=k\nKeySize= ${N}\n'),
    ).toEqual([
      'e.ini:5:10: KeySize takes a fixed value, not a field reference [ENCODING_NO_FIELD_REFERENCE]',
    ]);
  });

  it('refuse an unfinished reference where it starts', () => {
    expect(
      describeAll('ApplicationList=P\n[P]\nPKCS11Library=x.so\nInitToken=1\nTokenLabel=${A-B}\n'),
    ).toEqual([
      'e.ini:5:12: a field reference is the whole value: ${FIELD_NAME} [ENCODING_BAD_FIELD_REFERENCE]',
    ]);
  });

  it('require a PKCS#11 module in PKCS#11 and license applications, on any of the three keys', () => {
    expect(describeAll('ApplicationList=P\n\n[P]\nInitToken=1\n')).toEqual([
      'e.ini:3:1: [P] needs PKCS11Library (or PKCS11LibraryWindows32/64) [ENCODING_NO_LIBRARY]',
    ]);
    expect(describeAll('ApplicationList=L\n[L]\nLicenseAction=status\n')).toEqual([
      'e.ini:2:1: [L] needs PKCS11Library (or PKCS11LibraryWindows32/64) [ENCODING_NO_LIBRARY]',
    ]);
    expect(describeAll('ApplicationList=P\n[P]\nPKCS11LibraryWindows64=C:/x.dll\nInitToken=1\n')).toEqual([]);
    expect(describeAll('ApplicationList=P\n[P]\nPKCS11LibraryWindows32=x.dll\nInitToken=1\n')).toEqual([]);
    // A module with a bad value has its own problem; "needs PKCS11Library" would be noise.
    expect(describeAll('ApplicationList=P\n[P]\nPKCS11Library=softhsm\nInitToken=1\n')).toEqual([
      'e.ini:3:15: PKCS11Library: expected a module file name or path ending in .dll, .so or .dylib [ENCODING_BAD_VALUE]',
    ]);
  });

  it('refuse InitToken together with SetPin, pointing at SetPin, whatever the case of true', () => {
    const app = (init: string, set: string) =>
      describeAll(`ApplicationList=P\n[P]\nPKCS11Library=x.so\nInitToken=${init}\nSetPin=${set}\n`);
    const both =
      'e.ini:5:1: InitToken and SetPin exclude each other (cards with a signature slot use SetPin) [ENCODING_INIT_AND_SET_PIN]';
    expect(app('TRUE', '1')).toEqual([both]);
    expect(app('1', 'True')).toEqual([both]);
    expect(app('true', 'false')).toEqual([]);
    expect(app('0', 'true')).toEqual([]);
    expect(app('False', '0')).toEqual([]);
    expect(describeAll('ApplicationList=P\n[P]\nPKCS11Library=x.so\nSetPin=1\n')).toEqual([]);
  });

  it('list problems by line, then column, whatever found them first', () => {
    expect(describeAll(' junk\nApplicationList=Missing\nFoo=1\n[A]\nApduFile=a.apdu\n')).toEqual([
      'e.ini:1:2: expected key=value, a [Section], a comment or a blank line [INI_EXPECTED_KEY_VALUE]',
      'e.ini:2:17: ApplicationList names [Missing] but there is no such section [ENCODING_MISSING_APPLICATION]',
      'e.ini:3:1: unknown key Foo in the encoding-wide keys [ENCODING_UNKNOWN_KEY]',
    ]);
    expect(describeAll(' junk\n[A]\nApduFile=a.apdu\n')).toEqual([
      'e.ini:1:1: ApplicationList= is missing (it names the applications in order) [ENCODING_NO_APPLICATION_LIST]',
      'e.ini:1:2: expected key=value, a [Section], a comment or a blank line [INI_EXPECTED_KEY_VALUE]',
    ]);
  });
});
