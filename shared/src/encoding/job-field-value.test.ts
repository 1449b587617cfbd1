import { describe, expect, it } from 'vitest';
import type { JobField } from './job-field-rules';
import { expectation, fieldValueProblem, valueBytes } from './job-field-value';

function field(overrides: Partial<JobField>): JobField {
  return {
    name: 'F',
    secret: false,
    required: true,
    format: 'text',
    pattern: '^(?:[\\s\\S]*)$',
    uses: [],
    description: '',
    ...overrides,
  };
}

describe('valueBytes', () => {
  it('counts hex digit pairs, whitespace ignored', () => {
    expect(valueBytes('hex', 'a1b2c3')).toBe(3);
    expect(valueBytes('hex', ' a1 b2\n c3\t')).toBe(3);
    expect(valueBytes('hex', '')).toBe(0);
  });

  it('counts decoded base64 bytes, padding and whitespace ignored', () => {
    expect(valueBytes('base64', 'QUJD')).toBe(3);
    expect(valueBytes('base64', 'QUI=')).toBe(2);
    expect(valueBytes('base64', 'QQ==')).toBe(1);
    expect(valueBytes('base64', 'QUJD\nQQ = =')).toBe(4);
    expect(valueBytes('base64', '')).toBe(0);
  });

  it('counts UTF-8 bytes of other formats, whitespace included', () => {
    expect(valueBytes('text', 'a b')).toBe(3);
    expect(valueBytes('text', 'é')).toBe(2);
    expect(valueBytes('decimal', ' 12 ')).toBe(4);
    expect(valueBytes('date', 'today')).toBe(5);
    expect(valueBytes('boolean', 'true')).toBe(4);
  });
});

describe('expectation', () => {
  it('names each format', () => {
    expect(expectation({ format: 'hex' })).toBe('hex digits in pairs');
    expect(expectation({ format: 'base64' })).toBe('base64');
    expect(expectation({ format: 'decimal' })).toBe('a decimal number');
    expect(expectation({ format: 'date' })).toBe('a date YYYYMMDD or today');
    expect(expectation({ format: 'boolean' })).toBe('true, false, 1 or 0');
    expect(expectation({ format: 'text' })).toBe('text');
  });

  it('adds the exact length before any bounds', () => {
    expect(expectation({ format: 'hex', bytes: 24, minBytes: 16, maxBytes: 32 })).toBe(
      'hex digits in pairs, exactly 24 bytes',
    );
  });

  it('adds both bounds, or the maximum alone; a minimum alone says nothing more', () => {
    expect(expectation({ format: 'hex', minBytes: 16, maxBytes: 24 })).toBe(
      'hex digits in pairs, 16 to 24 bytes',
    );
    expect(expectation({ format: 'text', maxBytes: 32 })).toBe('text, at most 32 bytes');
    expect(expectation({ format: 'text', minBytes: 4 })).toBe('text');
  });
});

describe('fieldValueProblem', () => {
  it('refuses a value that does not match the pattern, without echoing it', () => {
    const hex = field({ format: 'hex', pattern: '^(?:[0-9A-F]*)$' });
    expect(fieldValueProblem(hex, 'SECRETZZ')).toBe('expected hex digits in pairs');
    expect(fieldValueProblem(hex, 'ABCD')).toBeUndefined();
  });

  it('refuses a value of another exact length, one byte short or long', () => {
    const key = field({ format: 'hex', bytes: 2 });
    expect(fieldValueProblem(key, '0102')).toBeUndefined();
    expect(fieldValueProblem(key, '01')).toBe('expected hex digits in pairs, exactly 2 bytes');
    expect(fieldValueProblem(key, '010203')).toBe('expected hex digits in pairs, exactly 2 bytes');
  });

  it('takes values at both bounds and refuses one byte beyond either', () => {
    const label = field({ minBytes: 2, maxBytes: 4 });
    expect(fieldValueProblem(label, 'ab')).toBeUndefined();
    expect(fieldValueProblem(label, 'abcd')).toBeUndefined();
    expect(fieldValueProblem(label, 'a')).toBe('expected text, 2 to 4 bytes');
    expect(fieldValueProblem(label, 'abcde')).toBe('expected text, 2 to 4 bytes');
  });

  it('checks a minimum alone and a maximum alone', () => {
    expect(fieldValueProblem(field({ minBytes: 2 }), 'a')).toBe('expected text');
    expect(fieldValueProblem(field({ minBytes: 2 }), 'abcdefgh')).toBeUndefined();
    expect(fieldValueProblem(field({ maxBytes: 2 }), 'abc')).toBe('expected text, at most 2 bytes');
    expect(fieldValueProblem(field({ maxBytes: 2 }), '')).toBeUndefined();
  });

  it('takes any value of a field without length rules', () => {
    expect(fieldValueProblem(field({}), 'x'.repeat(1000))).toBeUndefined();
  });
});
