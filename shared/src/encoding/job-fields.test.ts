import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ValidatedBundle, validateBundle } from '../bundle/bundle';
import { type JobField, jobFieldProblems, jobFieldsOf, unreadFields } from './job-fields';

/** The seed encodings in examples/ and small bundles written here, read as the cloud reads a push. */
const root = new URL('../../../', import.meta.url).pathname;

function example(name: string): ValidatedBundle {
  const dir = join(root, 'examples', name);
  return bundleOf(
    Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')])),
  );
}

function bundleOf(files: Record<string, string>): ValidatedBundle {
  const { bundle, problems } = validateBundle({
    files: Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })),
  });
  expect(problems.map((p) => p.message)).toEqual([]);
  if (!bundle) throw new Error('the bundle does not validate');
  return bundle;
}

const byName = (fields: JobField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));
const matches = (field: JobField | undefined, value: string) =>
  new RegExp(field?.pattern ?? '(?!)').test(value);

describe('the job fields of the seed encodings', () => {
  it('lists no job field for an encoding that only reads the card (read-version, read-serial)', () => {
    expect(jobFieldsOf(example('read-version'))).toEqual([]);
    expect(jobFieldsOf(example('read-serial'))).toEqual([]);
  });

  it('lists the PIN description of set-pin as required text, and not the PINs typed at the station', () => {
    const fields = jobFieldsOf(example('set-pin'));
    expect(fields.map((f) => f.name)).toEqual(['PIN_LABEL']);
    expect(fields[0]).toMatchObject({
      secret: false,
      required: true,
      format: 'text',
      uses: ['APDU script set_pin.apdu line 2: PIN description'],
    });
  });

  it('lists the CR key of change-key as a required secret 3DES key and the DYN-only NEW_KEY as optional hex', () => {
    const fields = byName(jobFieldsOf(example('change-key')));
    expect(Object.keys(fields)).toEqual(['ADMIN_KEY', 'NEW_KEY']);
    expect(fields.ADMIN_KEY).toMatchObject({
      secret: true,
      required: true,
      format: 'hex',
      minBytes: 16,
      maxBytes: 24,
      uses: ['APDU script change_key.apdu line 5: CR key (RETAIL_MAC)'],
    });
    expect(matches(fields.ADMIN_KEY, '00'.repeat(16))).toBe(true);
    expect(matches(fields.ADMIN_KEY, '00 11 '.repeat(12))).toBe(true);
    expect(matches(fields.ADMIN_KEY, '00'.repeat(20))).toBe(false);
    expect(fields.NEW_KEY).toMatchObject({ secret: true, required: false, format: 'hex' });
    expect(fields.NEW_KEY?.bytes).toBeUndefined();
  });

  it('lists the PKCS#11 settings of idprime-personalise with the rules of their keys', () => {
    const fields = byName(jobFieldsOf(example('idprime-personalise')));
    expect(Object.keys(fields)).toEqual(['CA_CERT', 'CMK', 'NEW_CMK', 'NEW_PIN', 'USER_CERT']);
    expect(fields.CMK).toMatchObject({ secret: true, required: true, format: 'hex', bytes: 24 });
    expect(fields.CMK?.uses[0]).toMatch(
      /^encoding\.ini line \d+: CardManagerKey of application Personalise$/,
    );
    expect(fields.NEW_PIN).toMatchObject({ secret: true, required: true, format: 'text' });
    // Used by two applications: both places are named.
    expect(fields.NEW_PIN?.uses).toHaveLength(2);
    expect(fields.NEW_PIN?.description).toMatch(
      /NewPin of application Personalise; .*Pin of application License/,
    );
    expect(fields.USER_CERT).toMatchObject({ secret: false, format: 'base64' });
    expect(matches(fields.USER_CERT, 'MIIBIjAN')).toBe(true);
    expect(matches(fields.USER_CERT, 'MIIBIjA=')).toBe(true);
    expect(matches(fields.USER_CERT, 'MIIBIjA')).toBe(false);
    // The license status is written by the application: not a job field.
    expect(fields.LICENSE_STATUS).toBeUndefined();
  });

  it('lists what write-ef-gdo and the gemalto and license seeds read', () => {
    for (const name of ['write-ef-gdo', 'gemalto-pkcs11', 'license'])
      for (const field of jobFieldsOf(example(name))) {
        expect(() => new RegExp(field.pattern), `${name} ${field.name}`).not.toThrow();
        expect(field.uses.length, `${name} ${field.name}`).toBeGreaterThan(0);
      }
    expect(byName(jobFieldsOf(example('license'))).USER_PIN).toMatchObject({ required: true, secret: true });
  });
});

describe('job fields of hand-written bundles', () => {
  const ini = (apdu: string, extra = '') =>
    bundleOf({ 'e.ini': `${extra}ApplicationList=A\n[A]\nApduFile=s.apdu\n`, 's.apdu': apdu });

  it('leaves out a field an earlier line writes, and keeps one read before anything writes it', () => {
    const fields = jobFieldsOf(
      ini('DYN[CHALLENGE]:00840000;;8\nCR[OUT]:AES_CMAC;<hex>K;CHALLENGE\nDYN:00820000;OUT\n'),
    );
    expect(fields.map((f) => f.name)).toEqual(['K']);
    expect(fields[0]).toMatchObject({ format: 'hex', bytes: 32, required: true, secret: true });
  });

  it('reads a <string> DYN field as optional text and a <base64> one as base64', () => {
    const fields = byName(jobFieldsOf(ini('DYN:00DA0000;<string>NAME+<base64>BLOB\n')));
    expect(fields.NAME).toMatchObject({ format: 'text', required: false });
    expect(fields.BLOB).toMatchObject({ format: 'base64', required: false });
  });

  it('merges two uses of one field: the stricter format, and a value must satisfy both', () => {
    const fields = byName(jobFieldsOf(ini('DYN:00DA0000;X\nPIN[P]:X\n')));
    expect(fields.X).toMatchObject({ format: 'hex', required: true });
    expect(matches(fields.X, 'A1B2')).toBe(true);
    expect(matches(fields.X, 'hello')).toBe(false);
  });

  it('marks a field listed in SecretFields secret', () => {
    const fields = jobFieldsOf(ini('DYN:00DA0000;NOTE\n', 'SecretFields=NOTE\n'));
    expect(fields[0]).toMatchObject({ name: 'NOTE', secret: true });
  });
});

describe('checking job field values', () => {
  const fields = jobFieldsOf(example('idprime-personalise'));
  const good = {
    CMK: '00'.repeat(24),
    NEW_CMK: '31'.repeat(24),
    NEW_PIN: '1234',
    USER_CERT: 'MIIB',
    CA_CERT: 'MIIB',
  };

  it('takes values that fit every field', () => {
    expect(jobFieldProblems(fields, good)).toEqual([]);
  });

  it('refuses a missing or empty required field, naming it', () => {
    const { NEW_PIN: _left, ...rest } = good;
    expect(jobFieldProblems(fields, rest)).toMatchObject([{ field: 'NEW_PIN', code: 'JOB_FIELD_MISSING' }]);
    expect(jobFieldProblems(fields, { ...good, CMK: '' })).toMatchObject([
      { field: 'CMK', code: 'JOB_FIELD_MISSING' },
    ]);
  });

  it('refuses a hex key of the wrong length or not hex, and never repeats the value', () => {
    const problems = jobFieldProblems(fields, { ...good, CMK: '00'.repeat(23), NEW_CMK: 'zz'.repeat(24) });
    expect(problems).toMatchObject([
      {
        field: 'CMK',
        code: 'JOB_FIELD_MALFORMED',
        message: 'field CMK: expected hex digits in pairs, exactly 24 bytes',
      },
      { field: 'NEW_CMK', code: 'JOB_FIELD_MALFORMED' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('zz');
  });

  it('takes an empty optional DYN field (sent as no bytes) and refuses a malformed one', () => {
    const dyn = jobFieldsOf(example('change-key'));
    const key = { ADMIN_KEY: '40'.repeat(16) };
    expect(jobFieldProblems(dyn, key)).toEqual([]);
    expect(jobFieldProblems(dyn, { ...key, NEW_KEY: '' })).toEqual([]);
    expect(jobFieldProblems(dyn, { ...key, NEW_KEY: 'ABC' })).toMatchObject([
      { field: 'NEW_KEY', code: 'JOB_FIELD_MALFORMED' },
    ]);
  });

  it('refuses a token label over 32 bytes (CK_TOKEN_INFO.label)', () => {
    const label = jobFieldsOf(
      bundleOf({
        'e.ini':
          'ApplicationList=T\n[T]\nPKCS11Library=x.so\nInitToken=true\nTokenLabel=${LABEL}\nCardManagerKey=${CMK}\n',
      }),
    );
    expect(jobFieldProblems(label, { LABEL: 'é'.repeat(16), CMK: '00'.repeat(24) })).toEqual([]);
    expect(jobFieldProblems(label, { LABEL: 'é'.repeat(17), CMK: '00'.repeat(24) })).toMatchObject([
      { field: 'LABEL', code: 'JOB_FIELD_MALFORMED' },
    ]);
  });

  it('names given fields the version never reads (a form warns; the cloud takes them)', () => {
    expect(unreadFields(fields, { ...good, NOTE: 'x' })).toEqual(['NOTE']);
    expect(jobFieldProblems(fields, { ...good, NOTE: 'x' })).toEqual([]);
  });
});

describe('job fields in detail', () => {
  const apduApp = (apdu: string, extra = '', app = '') =>
    bundleOf({ 'e.ini': `${extra}ApplicationList=A\n[A]\nApduFile=s.apdu\n${app}`, 's.apdu': apdu });

  it('describe a DYN field completely: optional hex, its use and pattern', () => {
    expect(jobFieldsOf(apduApp('DYN:00DA0000;DATA\n'))).toEqual([
      {
        name: 'DATA',
        secret: false,
        required: false,
        format: 'hex',
        pattern: '^(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f])*\\s*)$',
        uses: ['APDU script s.apdu line 1: DYN data'],
        description: 'Used in APDU script s.apdu line 1: DYN data',
      },
    ]);
  });

  it('are sorted by name', () => {
    expect(jobFieldsOf(apduApp('DYN:00DA0000;B+A\nDYN:00DA0000;C+AB\n')).map((f) => f.name)).toEqual([
      'A',
      'AB',
      'B',
      'C',
    ]);
  });

  it('list a use once however often a line repeats it, and one pattern for equal rules', () => {
    const [field] = jobFieldsOf(apduApp('DYN:00DA0000;X+X\nDYN:00DA0000;X\n'));
    expect(field?.uses).toEqual([
      'APDU script s.apdu line 1: DYN data',
      'APDU script s.apdu line 2: DYN data',
    ]);
    expect(field?.pattern).toBe('^(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f])*\\s*)$');
    expect(field?.required).toBe(false);
  });

  it('read the description of a PIN line, not the PINs it writes', () => {
    expect(jobFieldsOf(apduApp('PIN[OLD,NEW]:DESC\nDYN:00DA0000;OLD+NEW\n')).map((f) => f.name)).toEqual([
      'DESC',
    ]);
    const transport = byName(jobFieldsOf(apduApp('PIN[NEW]:DESC;;TPIN\nDYN:00DA0000;TPIN+NEW\n')));
    expect(Object.keys(transport)).toEqual(['DESC']);
    expect(transport.DESC).toMatchObject({ format: 'text', required: true, pattern: '^(?:[\\s\\S]*)$' });
    expect(transport.DESC?.uses).toEqual(['APDU script s.apdu line 1: PIN description']);
  });

  it('read the input and the key of a CR line as required, the key with its algorithm', () => {
    const fields = byName(jobFieldsOf(apduApp('CR[OUT]:RETAIL_MAC;K;IN\n')));
    expect(fields.IN).toMatchObject({
      format: 'hex',
      required: true,
      uses: ['APDU script s.apdu line 1: CR input'],
    });
    expect(fields.K).toMatchObject({
      format: 'hex',
      required: true,
      minBytes: 16,
      maxBytes: 24,
      uses: ['APDU script s.apdu line 1: CR key (RETAIL_MAC)'],
    });
    expect(fields.K?.bytes).toBeUndefined();
    expect(matches(fields.K, '00'.repeat(16))).toBe(true);
    expect(matches(fields.K, '00'.repeat(20))).toBe(false);
    expect(fields.OUT).toBeUndefined();
  });

  it('read a field named by a setting with the rule of its key, naming the application', () => {
    const bundle = bundleOf({
      'e.ini':
        'ApplicationList=P\n[P]\nPKCS11Library=x.so\nInitToken=true\nTokenLabel=${LABEL}\nCardManagerKey=${CMK}\n',
    });
    expect(byName(jobFieldsOf(bundle))).toEqual({
      CMK: {
        name: 'CMK',
        secret: true,
        required: true,
        format: 'hex',
        bytes: 24,
        pattern: '^(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){24}\\s*)$',
        uses: ['e.ini line 6: CardManagerKey of application P'],
        description: 'Used in e.ini line 6: CardManagerKey of application P',
      },
      LABEL: {
        name: 'LABEL',
        secret: false,
        required: true,
        format: 'text',
        maxBytes: 32,
        pattern: '^(?:[\\s\\S]*)$',
        uses: ['e.ini line 5: TokenLabel of application P'],
        description: 'Used in e.ini line 5: TokenLabel of application P',
      },
    });
  });

  it('merge a setting and a script use: first exact length, smallest maximum, both patterns, settings first', () => {
    const bundle = bundleOf({
      'e.ini':
        'ApplicationList=A,P\n[A]\nApduFile=s.apdu\n[P]\nPKCS11Library=x.so\nInitToken=true\nTokenLabel=${K}\n',
      's.apdu': 'CR[OUT]:AES_CMAC;K;IN\n',
    });
    const k = byName(jobFieldsOf(bundle)).K;
    expect(k).toMatchObject({ format: 'hex', bytes: 32, maxBytes: 32, required: true, secret: true });
    expect(k?.minBytes).toBeUndefined();
    expect(k?.uses).toEqual([
      'e.ini line 7: TokenLabel of application P',
      'APDU script s.apdu line 1: CR key (AES_CMAC)',
    ]);
    expect(k?.pattern).toBe(
      '^(?=(?:[\\s\\S]*)$)(?=(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){32}\\s*)$)[\\s\\S]*$',
    );
    expect(matches(k, 'ab'.repeat(32))).toBe(true);
    expect(matches(k, 'ab'.repeat(31))).toBe(false);
  });

  it('take the smaller maximum of two uses', () => {
    const bundle = bundleOf({
      'e.ini':
        'ApplicationList=A,P\n[A]\nApduFile=s.apdu\n[P]\nPKCS11Library=x.so\nInitToken=true\nTokenLabel=${K}\n',
      's.apdu': 'CR[OUT]:DES3_ECB;K;IN\n',
    });
    expect(byName(jobFieldsOf(bundle)).K).toMatchObject({ format: 'hex', minBytes: 16, maxBytes: 24 });
  });

  it('show the most specific format of the uses: base64 or date over text', () => {
    const fields = byName(jobFieldsOf(apduApp('DYN:00DA0000;<base64>B+<string>B\n')));
    expect(fields.B?.format).toBe('base64');
    const dated = bundleOf({
      'e.ini':
        'ApplicationList=A,L\n[A]\nApduFile=s.apdu\n[L]\nPKCS11Library=x.so\nLicenseAction=ensure\nLicenseStartDate=${N}\n',
      's.apdu': 'DYN:00DA0000;<string>N\n',
    });
    expect(byName(jobFieldsOf(dated)).N?.format).toBe('date');
  });

  it('leave out fields the encoding names as written by the card, not those of literal text settings', () => {
    const fields = jobFieldsOf(apduApp('DYN:00DA0000;RC+LBL\n', '', 'ApduResponseCodesField=RC\n'));
    expect(fields.map((f) => f.name)).toEqual(['LBL']);
    const label = bundleOf({
      'e.ini': 'ApplicationList=A,P\n[A]\nApduFile=s.apdu\n[P]\nPKCS11Library=x.so\nKeyPairLabel=LBL\n',
      's.apdu': 'DYN:00DA0000;<string>LBL\n',
    });
    expect(jobFieldsOf(label).map((f) => f.name)).toEqual(['LBL']);
  });
});

describe('jobFieldProblems in detail', () => {
  const field = (name: string, overrides: Partial<JobField> = {}): JobField => ({
    name,
    secret: false,
    required: true,
    format: 'hex',
    bytes: 2,
    pattern: '^(?:[0-9A-F]*)$',
    uses: [],
    description: `Used in ${name}`,
    ...overrides,
  });

  it('name a missing field with its description, and a malformed one with what it expects', () => {
    expect(jobFieldProblems([field('A'), field('B')], { B: '01' })).toEqual([
      { field: 'A', code: 'JOB_FIELD_MISSING', message: 'field A is required (Used in A)' },
      {
        field: 'B',
        code: 'JOB_FIELD_MALFORMED',
        message: 'field B: expected hex digits in pairs, exactly 2 bytes',
      },
    ]);
  });

  it('take an optional field absent or empty, and check it when given', () => {
    const optional = [field('O', { required: false })];
    expect(jobFieldProblems(optional, {})).toEqual([]);
    expect(jobFieldProblems(optional, { O: '' })).toEqual([]);
    expect(jobFieldProblems(optional, { O: '0102' })).toEqual([]);
    expect(jobFieldProblems(optional, { O: 'XY' })).toEqual([
      {
        field: 'O',
        code: 'JOB_FIELD_MALFORMED',
        message: 'field O: expected hex digits in pairs, exactly 2 bytes',
      },
    ]);
  });

  it('do not take an inherited property for a value', () => {
    expect(jobFieldProblems([field('toString'), field('constructor')], {})).toEqual([
      {
        field: 'toString',
        code: 'JOB_FIELD_MISSING',
        message: 'field toString is required (Used in toString)',
      },
      {
        field: 'constructor',
        code: 'JOB_FIELD_MISSING',
        message: 'field constructor is required (Used in constructor)',
      },
    ]);
  });

  it('list unread fields in name order', () => {
    expect(unreadFields([field('A')], { Z: '1', A: '1', M: '1' })).toEqual(['M', 'Z']);
    expect(unreadFields([], {})).toEqual([]);
  });
});
