import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactFields } from './redaction';

/**
 * Ways a secret could leak past redaction (shared/src/messages/redaction.ts), each
 * failing when the rule that hides it is removed (docs/mutation-testing.md).
 */
describe('redaction leaks', () => {
  it('hides a secret as upper- and lower-case hex of its UTF-8 bytes and as base64', () => {
    const redact = createRedactor(['Kéy']);
    const hex = Buffer.from('Kéy').toString('hex');
    expect(redact.text(`${hex} ${hex.toUpperCase()} ${Buffer.from('Kéy').toString('base64')} Kéy`)).toBe(
      [REDACTED, REDACTED, REDACTED, REDACTED].join(' '),
    );
  });

  it('leaves no tail of a longer secret that contains a shorter one', () => {
    expect(createRedactor(['12', '123456']).text('pin 123456')).toBe(`pin ${REDACTED}`);
    expect(createRedactor(['123456', '12']).text('pin 123456')).toBe(`pin ${REDACTED}`);
  });

  it('hides a hex key in the other case, and every occurrence of it', () => {
    const redact = createRedactor(['aBcD12']);
    expect(redact.text('ABCD12 abcd12 aBcD12 ABCD12')).toBe(Array(4).fill(REDACTED).join(' '));
  });

  it('changes nothing for an empty secret, and only the secret for a non-hex one', () => {
    expect(createRedactor(['']).text('abc')).toBe('abc');
    // Case variants are added for hex keys only, so ordinary text is not mangled.
    expect(createRedactor(['zz12']).text('ZZ12 zz12')).toBe(`ZZ12 ${REDACTED}`);
    expect(createRedactor(['12zz']).text('12ZZ')).toBe('12ZZ');
  });

  it('redacts strings deep in arrays and objects, keeping keys, numbers, bytes and nulls', () => {
    const redact = createRedactor(['4711']);
    const bytes = Uint8Array.from([4, 7, 1, 1]);
    expect(
      redact.deep({ log: ['a 4711', ['4711']], n: 4711, nothing: null, bytes, nested: { pin: '4711' } }),
    ).toEqual({
      log: [`a ${REDACTED}`, [REDACTED]],
      n: 4711,
      nothing: null,
      bytes,
      nested: { pin: REDACTED },
    });
    expect(redact.deep({ bytes }).bytes).toBe(bytes);
    expect(redact.deep('4711')).toBe(REDACTED);
    expect(redact.deep(undefined)).toBeUndefined();
  });

  it('replaces only the secret fields of a field map, even an empty one', () => {
    expect(redactFields({ PIN: '', NAME: 'Erika', PUK: '12345678' }, ['PIN', 'PUK'])).toEqual({
      PIN: REDACTED,
      NAME: 'Erika',
      PUK: REDACTED,
    });
  });
});
