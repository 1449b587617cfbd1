import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { apduCase, decodeApdu, encodeApdu } from './apdu-codec';

const byte = fc.integer({ min: 0, max: 255 });
const header = fc.record({ cla: byte, ins: byte, p1: byte, p2: byte });

// Each ISO 7816-4 case with the data / Ne ranges that select it.
const cases = {
  '1': fc.record({ data: fc.constant(new Uint8Array(0)), ne: fc.constant(0) }),
  '2S': fc.record({ data: fc.constant(new Uint8Array(0)), ne: fc.integer({ min: 1, max: 256 }) }),
  '3S': fc.record({ data: fc.uint8Array({ minLength: 1, maxLength: 255 }), ne: fc.constant(0) }),
  '4S': fc.record({
    data: fc.uint8Array({ minLength: 1, maxLength: 255 }),
    ne: fc.integer({ min: 1, max: 256 }),
  }),
  '2E': fc.record({ data: fc.constant(new Uint8Array(0)), ne: fc.integer({ min: 257, max: 65536 }) }),
  '3E': fc.record({ data: fc.uint8Array({ minLength: 256, maxLength: 1200 }), ne: fc.constant(0) }),
  '4E': fc.oneof(
    fc.record({
      data: fc.uint8Array({ minLength: 256, maxLength: 1200 }),
      ne: fc.integer({ min: 1, max: 65536 }),
    }),
    fc.record({
      data: fc.uint8Array({ minLength: 1, maxLength: 255 }),
      ne: fc.integer({ min: 257, max: 65536 }),
    }),
  ),
} as const;

describe('APDU codec (ISO 7816-4 §5)', () => {
  for (const [name, body] of Object.entries(cases)) {
    it(`round-trips case ${name} and Lc always equals the data length`, () => {
      fc.assert(
        fc.property(header, body, (h, b) => {
          const apdu = { ...h, ...b };
          expect(apduCase(apdu)).toBe(name);
          const bytes = encodeApdu(apdu);
          const decoded = decodeApdu(bytes);
          expect(decoded.case).toBe(name);
          expect(toHex(decoded.data)).toBe(toHex(apdu.data));
          expect(decoded.ne).toBe(apdu.ne);
          if (apdu.data.length > 0) {
            const lc = name.endsWith('E') ? ((bytes[5] ?? 0) << 8) | (bytes[6] ?? 0) : bytes[4];
            expect(lc).toBe(apdu.data.length);
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  it('encodes the documented boundary values', () => {
    const h = { cla: 0, ins: 0xb0, p1: 0, p2: 0 };
    expect(toHex(encodeApdu({ ...h, data: new Uint8Array(0), ne: 256 }))).toBe('00B0000000');
    expect(toHex(encodeApdu({ ...h, data: new Uint8Array(0), ne: 257 }))).toBe('00B00000000101');
    expect(toHex(encodeApdu({ ...h, data: new Uint8Array(0), ne: 65536 }))).toBe('00B00000000000');
  });

  it('throws only typed errors on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeApdu(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CardfleetError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses data longer than 65535 bytes', () => {
    expect(() => encodeApdu({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(65536), ne: 0 })).toThrow(
      expect.objectContaining({ code: 'APDU_TOO_LONG' }),
    );
  });
});
