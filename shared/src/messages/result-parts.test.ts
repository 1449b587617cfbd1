import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isResultPart,
  joinResultParts,
  MAX_MQTT_MESSAGE_BYTES,
  MAX_RESULT_PARTS,
  parseResultPart,
  RESULT_PART_BYTES,
  type ResultPart,
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

describe('result part edges', () => {
  const thrown = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const { code, message } = error as { code: string; message: string };
      return { code, message };
    }
    throw new Error('no error');
  };
  const partsOf = (message: string, key = 'job-1:1') =>
    toWireMessages(key, message).map((m) => ResultPartSchema.parse(JSON.parse(m)));
  const part = {
    part: { key: 'job-1:1', index: 0, total: 2, sha256: 'a'.repeat(64) },
    data: 'AAAA',
  };

  it('sends a message of up to 1 KiB under the MQTT limit whole, and one byte more in parts', () => {
    const limit = MAX_MQTT_MESSAGE_BYTES - 1024;
    expect(toWireMessages('k', 'x'.repeat(limit))).toEqual(['x'.repeat(limit)]);
    const split = toWireMessages('k', 'x'.repeat(limit + 1), 2).map((m) => JSON.parse(m));
    expect(split).toHaveLength(2);
    expect(split[1]).toEqual({
      v: 2,
      part: { key: 'k', index: 1, total: 2, sha256: split[0].part.sha256 },
      data: Buffer.from('x'.repeat(limit + 1 - RESULT_PART_BYTES)).toString('base64'),
    });
    expect(split[0].data).toBe(Buffer.from('x'.repeat(RESULT_PART_BYTES)).toString('base64'));
  });

  it(`splits a result of exactly ${MAX_RESULT_PARTS} parts, and names the budget of one byte more`, () => {
    const most = MAX_RESULT_PARTS * RESULT_PART_BYTES;
    const wire = toWireMessages('k', 'y'.repeat(most));
    expect(wire).toHaveLength(MAX_RESULT_PARTS);
    expect(thrown(() => toWireMessages('k', 'y'.repeat(most + 1)))).toEqual({
      code: 'RESULT_TOO_LARGE',
      message: `the result is ${most + 1} bytes; at most ${most} can be sent`,
    });
  });

  it('tells a part from a whole message, and neither from what is not an object', () => {
    expect(isResultPart({ part: undefined })).toBe(true);
    expect(isResultPart({ result: {} })).toBe(false);
    for (const message of [null, undefined, 'part', 1, []]) expect(isResultPart(message)).toBe(false);
  });

  it('reads a part at each limit and refuses it one past', () => {
    expect(parseResultPart(part, 'agent-1')).toEqual(part);
    const good = [
      { key: 'k' },
      { key: 'k'.repeat(256) },
      { index: 127 },
      { total: MAX_RESULT_PARTS },
      { sha256: '0123456789abcdef'.repeat(4) },
    ];
    for (const change of good)
      expect(parseResultPart({ ...part, part: { ...part.part, ...change } }, 'a')).toMatchObject({
        part: change,
      });
    const bad = [
      { key: '' },
      { key: 'k'.repeat(257) },
      { index: -1 },
      { index: 0.5 },
      { total: 1 },
      { total: MAX_RESULT_PARTS + 1 },
      { total: 2.5 },
      { sha256: 'A'.repeat(64) },
      { sha256: 'a'.repeat(63) },
      { sha256: 'a'.repeat(65) },
      { sha256: `g${'a'.repeat(63)}` },
      { sha256: ` ${'a'.repeat(64)}` },
      { sha256: `${'a'.repeat(64)} ` },
    ];
    for (const change of bad)
      expect(
        thrown(() => parseResultPart({ ...part, part: { ...part.part, ...change } }, 'agent-1')),
      ).toEqual({
        code: 'RESULT_INVALID',
        message: 'a malformed result part from agent-1',
      });
    const most = Math.ceil(RESULT_PART_BYTES / 3) * 4;
    expect(parseResultPart({ ...part, data: 'A'.repeat(most) }, 'a').data).toHaveLength(most);
    expect(thrown(() => parseResultPart({ ...part, data: 'A'.repeat(most + 1) }, 'a')).code).toBe(
      'RESULT_INVALID',
    );
  });

  it('joins nothing from no parts and waits for the last one', () => {
    expect(joinResultParts([])).toBeUndefined();
    const parts = partsOf('z'.repeat(3 * RESULT_PART_BYTES));
    expect(joinResultParts(parts.slice(0, 2))).toBeUndefined();
    expect(joinResultParts([parts[0], parts[1], parts[1]].filter((p) => p !== undefined))).toBeUndefined();
    expect(joinResultParts(parts)).toBe('z'.repeat(3 * RESULT_PART_BYTES));
  });

  it('refuses a part whose key, total, digest or index does not belong with the first', () => {
    const parts = partsOf(['u', 'v', 'w'].map((c) => c.repeat(RESULT_PART_BYTES)).join(''));
    const [first, second, third] = parts as [ResultPart, ResultPart, ResultPart];
    const mismatch = {
      code: 'RESULT_PARTS_MISMATCH',
      message: 'the parts of result job-1:1 do not belong together',
    };
    const changed = [{ key: 'job-1:2' }, { total: 4 }, { sha256: 'b'.repeat(64) }, { index: 3 }];
    for (const change of changed)
      expect(
        thrown(() => joinResultParts([first, second, { ...third, part: { ...third.part, ...change } }])),
        JSON.stringify(change),
      ).toEqual(mismatch);
    expect(thrown(() => joinResultParts([{ ...first, data: second.data }, second, third]))).toEqual({
      code: 'RESULT_PARTS_MISMATCH',
      message: 'the parts of result job-1:1 do not add up to its digest',
    });
  });
});
