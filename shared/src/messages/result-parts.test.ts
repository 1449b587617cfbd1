import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isResultPart,
  joinResultParts,
  MAX_MQTT_MESSAGE_BYTES,
  MAX_RESULT_PARTS,
  parseResultPart,
  RESULT_PART_BYTES,
  ResultPartSchema,
  toWireMessages,
} from './result-parts';

const big = (bytes: number, seed = 'x') =>
  JSON.stringify({ result: { trace: seed.repeat(bytes) }, signature: 'ey' });

describe('result parts on the wire', () => {
  it('sends a message that fits as it is', () => {
    const message = big(1000);
    expect(toWireMessages('job:1', message)).toEqual([message]);
    expect(isResultPart(JSON.parse(message))).toBe(false);
  });

  it('splits a large message into numbered parts, each within the IoT Core limit, joined in any order with duplicates', () => {
    const message = big(300_000, 'é€'); // multi-byte UTF-8 split across part boundaries
    const wire = toWireMessages('job-1:2', message);
    expect(wire.length).toBe(Math.ceil(Buffer.byteLength(message) / RESULT_PART_BYTES));
    for (const m of wire) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(MAX_MQTT_MESSAGE_BYTES);
    const parts = wire.map((m) => ResultPartSchema.parse(JSON.parse(m)));
    expect(parts.every((p) => isResultPart(p) && p.part.key === 'job-1:2')).toBe(true);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(parts, { minLength: parts.length }),
        fc.array(fc.nat(parts.length - 1)),
        (shuffled, extra) => {
          const withDuplicates = [...shuffled, ...extra.map((i) => parts[i] as (typeof parts)[number])];
          expect(joinResultParts(withDuplicates)).toBe(message);
        },
      ),
      { numRuns: 50 },
    );
    expect(joinResultParts(parts.slice(1))).toBeUndefined();
  });

  it('refuses parts of two different messages and a part whose data was changed', () => {
    const a = toWireMessages('k', big(200_000, 'a')).map((m) => ResultPartSchema.parse(JSON.parse(m)));
    const b = toWireMessages('k', big(200_000, 'b')).map((m) => ResultPartSchema.parse(JSON.parse(m)));
    expect(() => joinResultParts([a[0], b[1], a[2], a[3]].filter((p) => p !== undefined))).toThrow(
      expect.objectContaining({ code: 'RESULT_PARTS_MISMATCH' }),
    );
    const changed = a.map((p, i) =>
      i === 1 ? { ...p, data: Buffer.from('tampered').toString('base64') } : p,
    );
    expect(() => joinResultParts(changed)).toThrow(/do not add up/);
  });

  it('refuses a result larger than the part budget with a typed error', () => {
    expect(() => toWireMessages('k', big(MAX_RESULT_PARTS * RESULT_PART_BYTES + 1))).toThrow(
      expect.objectContaining({ code: 'RESULT_TOO_LARGE' }),
    );
  });

  it('carries the wire version on each part, takes the previous version and refuses a newer one', () => {
    const message = big(200_000);
    const [current] = toWireMessages('job-1:2', message);
    const [previous] = toWireMessages('job-1:2', message, 1);
    expect(JSON.parse(current ?? '')).toMatchObject({ v: 3 });
    expect(JSON.parse(previous ?? '')).not.toHaveProperty('v');
    expect(parseResultPart(JSON.parse(previous ?? ''), 'agent-1')).toEqual(
      parseResultPart(JSON.parse(current ?? ''), 'agent-1'),
    );
    expect(() => parseResultPart({ ...JSON.parse(current ?? ''), v: 4 }, 'agent-1')).toThrow(
      expect.objectContaining({ code: 'RESULT_UNSUPPORTED_VERSION' }),
    );
    expect(() => parseResultPart({ part: { key: 'k' } }, 'agent-1')).toThrow(
      expect.objectContaining({ code: 'RESULT_INVALID' }),
    );
  });
});
