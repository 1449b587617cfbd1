import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleSha256 } from './bundle-sha256';

const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

describe('bundleSha256', () => {
  it('hashes name, NUL, length, NUL and bytes of each file in name order', () => {
    const expected = createHash('sha256').update('a.apdu\u00003\u0000abcb.ini\u00001\u0000x').digest('hex');
    expect(bundleSha256([file('b.ini', 'x'), file('a.apdu', 'abc')])).toBe(expected);
    expect(bundleSha256([file('a.apdu', 'abc'), file('b.ini', 'x')])).toBe(expected);
  });

  it('does not reorder the files it is given', () => {
    const files = [file('b', '1'), file('a', '2')];
    bundleSha256(files);
    expect(files.map((f) => f.name)).toEqual(['b', 'a']);
  });

  it('tells apart bundles whose concatenated bytes are the same', () => {
    expect(bundleSha256([file('a', 'bc')])).not.toBe(bundleSha256([file('ab', 'c')]));
    expect(bundleSha256([file('a', '1'), file('b', '')])).not.toBe(
      bundleSha256([file('a', ''), file('b', '1')]),
    );
  });

  it('hashes an empty bundle to the digest of nothing', () => {
    expect(bundleSha256([])).toBe(createHash('sha256').digest('hex'));
  });
});
