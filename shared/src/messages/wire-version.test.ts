import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  PREVIOUS_WIRE_VERSION,
  parseUnsignedMessage,
  parseWireJson,
  SEALED_LITERALS_WIRE_VERSION,
  SUPPORTED_WIRE_VERSIONS,
  servedWireVersion,
  unsignedMessageKind,
  WIRE_VERSION,
  wireVersionOf,
  withWireVersion,
} from './wire-version';

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

describe('wire format version edges', () => {
  const thrown = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const { code, message, details } = error as { code: string; message: string; details: unknown };
      return { code, message, details };
    }
    throw new Error('no error');
  };

  it('knows versions 1 to 3, and seals literals from version 3', () => {
    expect(SUPPORTED_WIRE_VERSIONS).toEqual([1, 2, 3]);
    expect([PREVIOUS_WIRE_VERSION, SEALED_LITERALS_WIRE_VERSION]).toEqual([1, 3]);
  });

  it('reads version 2, and version 1 from anything without a v member', () => {
    expect(wireVersionOf({ v: 2 }, 'ACK_UNSUPPORTED_VERSION', 'x')).toBe(2);
    for (const message of [null, undefined, 'v', 3, [], { v: undefined }])
      expect(wireVersionOf(message, 'ACK_UNSUPPORTED_VERSION', 'x')).toBe(1);
  });

  it('names the version it got and those it reads', () => {
    expect(thrown(() => wireVersionOf({ v: 4 }, 'ACK_UNSUPPORTED_VERSION', 'acknowledgement'))).toEqual({
      code: 'ACK_UNSUPPORTED_VERSION',
      message: 'the acknowledgement is in wire format v4; this side reads v1 and v2 and v3',
      details: { version: 4, supported: [1, 2, 3] },
    });
  });

  it('leads with v in every version after the first, replacing the one given', () => {
    expect(JSON.stringify(withWireVersion({ a: 1, v: 1 }, 3))).toBe('{"v":3,"a":1}');
    expect(withWireVersion({ a: 1 }, 1)).toEqual({ a: 1 });
  });

  it('serves version 1 to a peer that announced no version it knows', () => {
    for (const announced of [0, -1, 1.5, 2.5]) expect(servedWireVersion(announced)).toBe(1);
    expect(servedWireVersion(4)).toBe(3);
  });

  it('reads JSON or refuses it with the caller’s code and the cause', () => {
    expect(parseWireJson('{"a":[1]}', 'PRESENCE_INVALID', 'presence')).toEqual({ a: [1] });
    const error = thrown(() => parseWireJson('{', 'PRESENCE_INVALID', 'presence'));
    expect(error).toMatchObject({ code: 'PRESENCE_INVALID', message: 'the presence is not JSON' });
  });

  it('checks an unsigned message’s version before its schema and names the issues', () => {
    const schema = z.object({ n: z.number().int().positive() });
    const codes = { invalid: 'PROGRESS_INVALID', unsupported: 'PROGRESS_UNSUPPORTED_VERSION' } as const;
    expect(parseUnsignedMessage('{"v":2,"n":1}', schema, codes, 'm')).toEqual({ n: 1 });
    expect(thrown(() => parseUnsignedMessage('{"v":9,"n":0}', schema, codes, 'm')).code).toBe(
      'PROGRESS_UNSUPPORTED_VERSION',
    );
    expect(thrown(() => parseUnsignedMessage('{"n":0}', schema, codes, 'm'))).toEqual({
      code: 'PROGRESS_INVALID',
      message: 'the m does not match its schema',
      details: { issues: [expect.objectContaining({ path: ['n'] })] },
    });
    const kind = unsignedMessageKind(schema, codes, 'm');
    expect(kind.build({ n: 1 })).toBe('{"v":3,"n":1}');
    expect(kind.build({ n: 1 }, 2)).toBe('{"v":2,"n":1}');
    expect(kind.parse('{"n":2}')).toEqual({ n: 2 });
  });
});
