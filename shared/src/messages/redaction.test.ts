import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactFields } from './redaction';

describe('redaction', () => {
  it('hides a secret in its own spelling, as hex and as base64', () => {
    const redact = createRedactor(['4711']);
    expect(redact.text('pin 4711 / 34373131 / NDcxMQ==')).toBe(`pin ${REDACTED} / ${REDACTED} / ${REDACTED}`);
  });

  it('hides hex keys in either case, deep inside results', () => {
    const redact = createRedactor(['8f18aabb']);
    expect(redact.deep({ apdus: [{ command: '9024100806 8F18AABB' }], n: 3 })).toEqual({
      apdus: [{ command: `9024100806 ${REDACTED}` }],
      n: 3,
    });
  });

  it('replaces secret field values in a field map', () => {
    expect(redactFields({ NEW_PIN: '1234', NAME: 'Erika' }, ['NEW_PIN'])).toEqual({
      NEW_PIN: REDACTED,
      NAME: 'Erika',
    });
  });
});
