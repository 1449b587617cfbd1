import { encodeApdu } from '@cardfleet/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { receiveSize } from './apdu-exchange';

describe('receive buffer size', () => {
  it('always fits Ne plus the status word, for every ISO 7816-4 case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 65536 }), (data, ne) => {
        const bytes = encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data, ne });
        expect(receiveSize(bytes)).toBe(Math.max(ne, 256) + 2);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the largest buffer to a command that matches no case', () => {
    expect(receiveSize(Uint8Array.of(0x00, 0xca, 0x01, 0x82, 0x05, 0x01))).toBe(65538);
  });
});
