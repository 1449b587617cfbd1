import { describe, expect, it } from 'vitest';
import { checkJobField } from './job-field-check';

describe('job field check', () => {
  it('normalises hex as typed: spaces out, upper case', () => {
    expect(checkJobField({ name: 'AID', format: 'hex' }, ' a0 00 00 03 ')).toEqual({ value: 'A0000003' });
  });

  it('refuses hex with an odd digit count or a letter beyond F', () => {
    expect(checkJobField({ name: 'AID', format: 'hex' }, 'ABC').problem).toMatch(/two per byte/);
    expect(checkJobField({ name: 'AID', format: 'hex' }, 'AG').problem).toMatch(/hex digits/);
  });

  it('refuses base64 that is not padded to a multiple of 4', () => {
    expect(checkJobField({ name: 'B', format: 'base64' }, 'SGVsbG8').problem).toMatch(/base64/);
    expect(checkJobField({ name: 'B', format: 'base64' }, 'SGVsbG8=').problem).toBeUndefined();
  });

  it('asks for a required value and lets an optional one stay empty', () => {
    expect(checkJobField({ name: 'L', required: true }, '').problem).toBe('Enter a value.');
    expect(checkJobField({ name: 'L', required: false, minLength: 3 }, '').problem).toBeUndefined();
  });

  it('checks the lengths of the value as sent', () => {
    expect(checkJobField({ name: 'L', minLength: 3 }, 'ab').problem).toBe('Enter at least 3 characters.');
    expect(checkJobField({ name: 'L', maxLength: 2 }, 'abc').problem).toBe('Enter at most 2 characters.');
    expect(checkJobField({ name: 'K', format: 'hex', maxLength: 4 }, '3F 00').problem).toBeUndefined();
  });

  it('matches the pattern against the whole value, and names the pattern, never the value', () => {
    const rule = { name: 'PIN_LABEL', pattern: '[0-9]{6}' };
    expect(checkJobField(rule, '123456').problem).toBeUndefined();
    const problem = checkJobField(rule, '1234567').problem;
    expect(problem).toBe('The value must match the pattern [0-9]{6}.');
    expect(problem).not.toContain('1234567');
  });

  it('leaves a pattern the browser cannot read to the API', () => {
    expect(checkJobField({ name: 'X', pattern: '(?P<a>x)' }, 'y').problem).toBeUndefined();
  });
});
