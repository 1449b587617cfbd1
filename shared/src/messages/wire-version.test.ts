import { describe, expect, it } from 'vitest';
import { servedWireVersion, WIRE_VERSION, wireVersionOf, withWireVersion } from './wire-version';

describe('wire format versions', () => {
  it('reads an absent v as version 1 and the current v as itself', () => {
    expect(wireVersionOf({ status: 'online' }, 'PROGRESS_UNSUPPORTED_VERSION', 'x')).toBe(1);
    expect(wireVersionOf({ v: 1 }, 'PROGRESS_UNSUPPORTED_VERSION', 'x')).toBe(1);
    expect(wireVersionOf({ v: WIRE_VERSION }, 'PROGRESS_UNSUPPORTED_VERSION', 'x')).toBe(3);
  });

  it('refuses a newer or a nonsensical v with the caller’s code', () => {
    for (const v of [WIRE_VERSION + 1, 0, '2', 2.5, null])
      expect(() => wireVersionOf({ v }, 'PROGRESS_UNSUPPORTED_VERSION', 'x')).toThrow(
        expect.objectContaining({ code: 'PROGRESS_UNSUPPORTED_VERSION' }),
      );
  });

  it('writes v1 without v and later versions with it', () => {
    expect(withWireVersion({ a: 1, v: 2 }, 1)).toEqual({ a: 1 });
    expect(JSON.stringify(withWireVersion({ a: 1 }, 2))).toBe('{"v":2,"a":1}');
  });

  it('serves the previous version to a peer that never announced one', () => {
    expect(servedWireVersion(undefined)).toBe(1);
    expect(servedWireVersion(1)).toBe(1);
    expect(servedWireVersion(2)).toBe(2);
    expect(servedWireVersion(3)).toBe(3);
    expect(servedWireVersion(7)).toBe(WIRE_VERSION);
  });
});
