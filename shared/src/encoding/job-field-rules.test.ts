import { describe, expect, it } from 'vitest';
import {
  anchored,
  BASE64_RULE,
  type FieldRule,
  hexOfLengths,
  hexRule,
  JOB_FIELD_FORMATS,
  JobFieldSchema,
  settingRule,
  TEXT_RULE,
} from './job-field-rules';

const accepts = (rule: FieldRule, value: string) => new RegExp(anchored(rule.body)).test(value);

describe('hex field rules', () => {
  it('fix an exact byte count, whitespace allowed between and around the digits', () => {
    const rule = hexRule(3);
    expect(rule).toEqual({
      format: 'hex',
      bytes: 3,
      body: '(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){3}\\s*',
    });
    expect(accepts(rule, 'a1B2c3')).toBe(true);
    expect(accepts(rule, ' a1 B 2\nc3 ')).toBe(true);
    expect(accepts(rule, 'a1B2')).toBe(false);
    expect(accepts(rule, 'a1B2c3d4')).toBe(false);
    expect(accepts(rule, 'a1B2c')).toBe(false);
    expect(accepts(rule, 'g1B2c3')).toBe(false);
  });

  it('take a byte range as minimum and maximum bytes', () => {
    const rule = hexRule(undefined, [2, 4]);
    expect(rule).toEqual({
      format: 'hex',
      minBytes: 2,
      maxBytes: 4,
      body: '(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){2,4}\\s*',
    });
    expect(accepts(rule, '0102')).toBe(true);
    expect(accepts(rule, '01020304')).toBe(true);
    expect(accepts(rule, '01')).toBe(false);
    expect(accepts(rule, '0102030405')).toBe(false);
  });

  it('prefer the exact count over a range and take any whole bytes without either', () => {
    expect(hexRule(2, [1, 9])).toEqual(hexRule(2));
    const any = hexRule();
    expect(any).toEqual({ format: 'hex', body: '(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f])*\\s*' });
    expect(accepts(any, '')).toBe(true);
    expect(accepts(any, 'ABCDEF0123')).toBe(true);
    expect(accepts(any, 'ABC')).toBe(false);
  });

  it('of one length are the exact rule of that length', () => {
    expect(hexOfLengths([24])).toEqual(hexRule(24));
  });

  it('of several lengths take exactly those lengths, bounded by the smallest and the largest', () => {
    const rule = hexOfLengths([24, 16]);
    expect(rule).toEqual({
      format: 'hex',
      minBytes: 16,
      maxBytes: 24,
      body: '(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){24}|(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){16})\\s*',
    });
    expect(accepts(rule, '00'.repeat(16))).toBe(true);
    expect(accepts(rule, '00'.repeat(24))).toBe(true);
    expect(accepts(rule, '00'.repeat(20))).toBe(false);
  });
});

describe('base64 and text rules', () => {
  it('take canonical base64 only: groups of four, padding of one or two = at the end', () => {
    expect(BASE64_RULE.format).toBe('base64');
    expect(Object.keys(BASE64_RULE)).toEqual(['format', 'body']);
    for (const good of ['', 'QUJD', 'QUI=', 'QQ==', 'QUJD QQ==', 'QU\nJD', 'ab+/']) {
      expect(accepts(BASE64_RULE, good)).toBe(true);
    }
    for (const bad of ['QUJ', 'Q===', 'QQ=', '=QQQ', 'QU-D', 'QQ==QUJD']) {
      expect(accepts(BASE64_RULE, bad)).toBe(false);
    }
  });

  it('take any text, line breaks included', () => {
    expect(TEXT_RULE).toEqual({ format: 'text', body: '[\\s\\S]*' });
    expect(accepts(TEXT_RULE, 'two\nlines')).toBe(true);
  });
});

describe('the rule a setting key gives its field', () => {
  it('is base64 for certificates whatever their type', () => {
    expect(settingRule('Certificate', { kind: 'text' })).toBe(BASE64_RULE);
    expect(settingRule('CaCertificate', { kind: 'hex' })).toBe(BASE64_RULE);
  });

  it('is text of at most 32 bytes for a token label (CK_TOKEN_INFO.label)', () => {
    expect(settingRule('TokenLabel', { kind: 'text' })).toEqual({
      format: 'text',
      body: '[\\s\\S]*',
      maxBytes: 32,
    });
  });

  it('follows the hex type of the key, exact or ranged', () => {
    expect(settingRule('CardManagerKey', { kind: 'hex', bytes: 24 })).toEqual(hexRule(24));
    expect(settingRule('Aid', { kind: 'hex', range: [5, 16] })).toEqual(hexRule(undefined, [5, 16]));
    expect(settingRule('Data', { kind: 'hex' })).toEqual(hexRule());
  });

  it('is a decimal of the allowed values, or any digits', () => {
    const sizes = settingRule('KeySize', { kind: 'integer', allowed: [1024, 2048] });
    expect(sizes).toEqual({ format: 'decimal', body: '1024|2048' });
    expect(accepts(sizes, '2048')).toBe(true);
    expect(accepts(sizes, '20480')).toBe(false);
    const any = settingRule('Count', { kind: 'integer' });
    expect(any).toEqual({ format: 'decimal', body: '[0-9]+' });
    expect(accepts(any, '')).toBe(false);
    expect(accepts(any, '007')).toBe(true);
  });

  it('is eight digits or today for a date', () => {
    const rule = settingRule('StartDate', { kind: 'date' });
    expect(rule).toEqual({ format: 'date', body: '[0-9]{8}|today' });
    expect(accepts(rule, 'today')).toBe(true);
    expect(accepts(rule, '20260101')).toBe(true);
    expect(accepts(rule, '2026010')).toBe(false);
  });

  it('is true or false in any case, 1 or 0 for a boolean', () => {
    const rule = settingRule('Flag', { kind: 'boolean' });
    expect(rule.format).toBe('boolean');
    for (const good of ['true', 'TRUE', 'False', '1', '0']) expect(accepts(rule, good)).toBe(true);
    for (const bad of ['yes', '2', 'truee', '']) expect(accepts(rule, bad)).toBe(false);
  });

  it('is one of the enum values, taken literally', () => {
    const rule = settingRule('Mode', { kind: 'enum', values: ['a.b*+?^${}()|[]\\', 'plain'] });
    expect(rule).toEqual({ format: 'text', body: 'a\\.b\\*\\+\\?\\^\\$\\{\\}\\(\\)\\|\\[\\]\\\\|plain' });
    expect(accepts(rule, 'a.b*+?^${}()|[]\\')).toBe(true);
    expect(accepts(rule, 'axb*+?^${}()|[]\\')).toBe(false);
    expect(accepts(rule, 'plain')).toBe(true);
    expect(settingRule('Mode', { kind: 'enum', values: ['RSA', 'EC-P256'] }).body).toBe('RSA|EC-P256');
  });

  it('is any text for the other kinds', () => {
    for (const kind of ['text', 'field-name', 'field-list', 'windows-dll', 'module', 'reg-exp'] as const) {
      expect(settingRule('Other', { kind })).toBe(TEXT_RULE);
    }
    expect(settingRule('Other', { kind: 'file-name', extension: '.apdu' })).toBe(TEXT_RULE);
  });
});

describe('anchored rules', () => {
  it('match the whole value, every alternative included', () => {
    expect(anchored('a|b')).toBe('^(?:a|b)$');
    expect(new RegExp(anchored('a|b')).test('ab')).toBe(false);
  });
});

describe('JobFieldSchema', () => {
  const field = {
    name: 'KEY',
    secret: true,
    required: true,
    format: 'hex',
    bytes: 24,
    minBytes: 0,
    maxBytes: 24,
    pattern: '^(?:.*)$',
    uses: ['encoding e.ini line 3: CardManagerKey'],
    description: 'CardManagerKey',
  };

  it('parses a full field to itself and lists the six formats', () => {
    expect(JobFieldSchema.parse(field)).toEqual(field);
    expect(JOB_FIELD_FORMATS).toEqual(['hex', 'base64', 'decimal', 'date', 'boolean', 'text']);
    const { bytes: _b, minBytes: _min, maxBytes: _max, ...bare } = field;
    expect(JobFieldSchema.parse(bare)).toEqual(bare);
  });

  it('refuses a byte count that is not a positive integer and negative bounds', () => {
    for (const bad of [
      { bytes: 0 },
      { bytes: 1.5 },
      { minBytes: -1 },
      { minBytes: 0.5 },
      { maxBytes: 0 },
      { maxBytes: 2.5 },
      { format: 'hexa' },
      { secret: 'yes' },
      { uses: 'one' },
    ]) {
      expect(JobFieldSchema.safeParse({ ...field, ...bad }).success).toBe(false);
    }
    expect(JobFieldSchema.safeParse({ ...field, bytes: 1, maxBytes: 1 }).success).toBe(true);
  });

  it('requires each field', () => {
    for (const key of ['name', 'secret', 'required', 'format', 'pattern', 'uses', 'description']) {
      const { [key]: _drop, ...rest } = field as Record<string, unknown>;
      expect(JobFieldSchema.safeParse(rest).success).toBe(false);
    }
  });
});
