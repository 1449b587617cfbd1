import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { MAX_BUNDLE_BYTES, readZipBundle, validateBundle } from './bundle';
import { appendCapped, MAX_PROBLEMS } from './problem-list';

const utf8 = (text: string) => new TextEncoder().encode(text);
const encoding = 'ApplicationList=A\n[A]\nApduFile=a.apdu\n';

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

describe('oversized and thoroughly broken input', () => {
  it('answers a 10 MB encoding with one size error, quickly, without parsing it', () => {
    const big = utf8(`${encoding}${'Foo=bar\n'.repeat(1_300_000)}`);
    const { value, ms } = timed(() => validateBundle({ files: [{ name: 'enc.ini', bytes: big }] }));
    expect(ms).toBeLessThan(2000);
    expect(value.bundle).toBeUndefined();
    expect(value.problems.map((p) => p.code)).toEqual(['BUNDLE_TOO_LARGE', 'BUNDLE_TOO_LARGE']);
    expect(value.problems[1]?.describe()).toMatch(/^enc\.ini:1:1: enc\.ini holds 10400038 bytes/);
  });

  it('answers a bundle holding a 10 MB bad script with one size error naming the script', () => {
    const { value, ms } = timed(() =>
      validateBundle({
        files: [
          { name: 'enc.ini', bytes: utf8(encoding) },
          { name: 'a.apdu', bytes: utf8('RAW XYZ\n'.repeat(1_300_000)) },
        ],
      }),
    );
    expect(ms).toBeLessThan(2000);
    expect(value.problems.at(-1)?.position).toEqual({ file: 'a.apdu', line: 1, column: 1 });
  });

  it('lists the first problems of an encoding of bad lines with their positions and counts the rest', () => {
    const lines = 'this is not a line\n'.repeat(14_000);
    const { value, ms } = timed(() =>
      validateBundle({
        files: [{ name: 'enc.ini', bytes: utf8(`${encoding}${lines}`.slice(0, 4 * MAX_BUNDLE_BYTES)) }],
      }),
    );
    expect(ms).toBeLessThan(2000);
    expect(value.problems).toHaveLength(MAX_PROBLEMS);
    expect(value.problems[1]?.describe()).toMatch(/^enc\.ini:4:1: /);
    expect(value.problems.at(-1)?.code).toBe('PROBLEMS_OMITTED');
    expect(value.problems.at(-1)?.details?.omitted).toBeGreaterThan(13_000);
  });

  it('refuses a zip entry that would inflate far beyond the limit, before inflating it', () => {
    const zip = zipSync({ 'enc.ini': utf8(encoding), 'a.apdu': new Uint8Array(10 * 1024 * 1024) });
    expect(() => readZipBundle(zip)).toThrow(expect.objectContaining({ code: 'BUNDLE_TOO_LARGE' }));
  });

  it('caps a problem list and keeps counting what it leaves out', () => {
    const list: CardfleetError[] = [];
    appendCapped(
      list,
      Array.from({ length: 250 }, (_, i) => new CardfleetError('INI_EXPECTED_KEY_VALUE', `${i}`)),
    );
    expect(list).toHaveLength(MAX_PROBLEMS);
    expect(list[MAX_PROBLEMS - 2]?.message).toBe(`${MAX_PROBLEMS - 2}`);
    expect(list.at(-1)?.details).toEqual({ omitted: 250 - (MAX_PROBLEMS - 1) });
  });
});
