import { describe, expect, it } from 'vitest';
import type { EncodingField } from '../../api/encodings-api';
import { fieldProblem } from './field-check';

const key: EncodingField = {
  name: 'CMK',
  secret: true,
  required: true,
  format: 'hex',
  bytes: 2,
  pattern: '^(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){2}\\s*)$',
  description: 'The Card Manager Key.',
};

const { bytes: _, ...withoutBytes } = key;

describe("a dry run's field checked in the form before it is sent", () => {
  it('asks for a required value', () => {
    expect(fieldProblem(key, '')).toBe('CMK is required.');
    expect(fieldProblem({ ...key, required: false }, '')).toBeUndefined();
  });

  it("says what the field's rule wants when the value breaks it", () => {
    expect(fieldProblem(key, 'A1 B2')).toBeUndefined();
    expect(fieldProblem(key, 'A1B2C3')).toBe('CMK must be hex of 2 bytes.');
    expect(fieldProblem({ ...withoutBytes, minBytes: 1, maxBytes: 4 }, 'zz')).toBe(
      'CMK must be hex of 1 to 4 bytes.',
    );
  });

  it('leaves a rule the browser cannot read to the cloud', () => {
    expect(fieldProblem({ ...key, pattern: '(' }, 'anything')).toBeUndefined();
  });
});
