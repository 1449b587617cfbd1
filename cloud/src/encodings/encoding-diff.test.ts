import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodingDiff } from './encoding-diff';
import { diffHunks, linesOf, unifiedText } from './unified-diff';

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => `${from + k}\n`).join('');

describe('unified diff of two texts (the output of POSIX diff -u)', () => {
  it('finds nothing between equal texts', () => {
    expect(diffHunks('a\nb\n', 'a\nb\n')).toEqual([]);
    expect(unifiedText([], 'x', 'y')).toBe('');
  });

  it('writes one hunk with three lines of context, as diff -u does', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\nj\nk\n';
    expect(unifiedText(diffHunks(before, after), 'A', 'B')).toBe(
      [
        '--- A',
        '+++ B',
        '@@ -1,10 +1,10 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        ' f',
        ' g',
        ' h',
        '-i',
        ' j',
        '+k',
        '',
      ].join('\n'),
    );
  });

  it('splits changes further apart than twice the context into hunks numbered in each text', () => {
    const after = lines(1, 20).replace(/^2$/m, 'two').replace(/^18$/m, 'eighteen');
    const hunks = diffHunks(lines(1, 20), after);
    expect(hunks.map(({ lines: _, ...at }) => at)).toEqual([
      { fromStart: 1, fromLines: 5, toStart: 1, toLines: 5 },
      { fromStart: 15, fromLines: 6, toStart: 15, toLines: 6 },
    ]);
    expect(hunks[1]?.lines).toEqual([' 15', ' 16', ' 17', '-18', '+eighteen', ' 19', ' 20']);
    const removed = diffHunks(lines(1, 20), lines(1, 20).replace('10\n', ''));
    expect(removed).toEqual([
      {
        fromStart: 7,
        fromLines: 7,
        toStart: 7,
        toLines: 6,
        lines: [' 7', ' 8', ' 9', '-10', ' 11', ' 12', ' 13'],
      },
    ]);
  });

  it('numbers an empty side by the line before it (0: a file added or removed)', () => {
    expect(diffHunks(undefined, 'a\nb\n')).toEqual([
      { fromStart: 0, fromLines: 0, toStart: 1, toLines: 2, lines: ['+a', '+b'] },
    ]);
    expect(diffHunks('a\nb\n', '')).toEqual([
      { fromStart: 1, fromLines: 2, toStart: 0, toLines: 0, lines: ['-a', '-b'] },
    ]);
  });

  it('turns the first text into the second when its hunks are applied (any two texts)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 30 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
        const from = linesOf(a);
        const out: string[] = [];
        let at = 0; // lines of `from` copied so far
        for (const hunk of diffHunks(a, b, context)) {
          const start = hunk.fromLines === 0 ? hunk.fromStart : hunk.fromStart - 1;
          out.push(...from.slice(at, start));
          at = start;
          for (const line of hunk.lines) {
            if (line[0] !== '+') expect(from[at++]).toBe(line.slice(1));
            if (line[0] !== '-') out.push(line.slice(1));
          }
        }
        out.push(...from.slice(at));
        expect(out).toEqual(linesOf(b));
      }),
    );
  });

  it('reads the newline that ends a text as the end of its last line, not as another line', () => {
    expect(linesOf('a\nb\n')).toEqual(['a', 'b']);
    expect(linesOf('a\n\n')).toEqual(['a', '']);
    expect(linesOf('')).toEqual([]);
  });
});

describe('diff of two encoding versions', () => {
  const v1 = {
    id: 'ck',
    version: 1,
    files: [
      { name: 'encoding.ini', text: 'ApplicationList=A\nCardManagerKey=REDACTED\n' },
      { name: 'old.apdu', text: '00A40400\n' },
      { name: 'same.apdu', text: '00B00000\n' },
    ],
  };
  const v2 = {
    id: 'ck',
    version: 2,
    files: [
      { name: 'encoding.ini', text: 'ApplicationList=A,B\nCardManagerKey=REDACTED\n' },
      { name: 'new.apdu', text: '80CA9F7F\n' },
      { name: 'same.apdu', text: '00B00000\n' },
    ],
  };

  it('lists the files added, removed and changed, in name order, and leaves out the unchanged', () => {
    const diff = encodingDiff(v1, v2);
    expect(diff.files.map((f) => [f.name, f.change])).toEqual([
      ['encoding.ini', 'changed'],
      ['new.apdu', 'added'],
      ['old.apdu', 'removed'],
    ]);
    expect(diff).toMatchObject({ id: 'ck', from: 1, to: 2, redacted: true });
    expect(diff.files[1]?.unified).toBe('--- /dev/null\n+++ ck v2/new.apdu\n@@ -0,0 +1,1 @@\n+80CA9F7F\n');
    expect(diff.files[2]?.unified).toBe('--- ck v1/old.apdu\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-00A40400\n');
    expect(diff.diff).toBe(diff.files.map((f) => f.unified).join(''));
    expect(diff.diff).toContain('--- ck v1/encoding.ini\n+++ ck v2/encoding.ini\n@@ -1,2 +1,2 @@\n');
  });

  it('is empty between a version and itself', () => {
    expect(encodingDiff(v1, v1)).toEqual({ id: 'ck', from: 1, to: 1, redacted: true, files: [], diff: '' });
  });

  it('lists an empty file that only one version has', () => {
    const withEmpty = { ...v1, version: 3, files: [...v1.files, { name: 'empty.apdu', text: '' }] };
    expect(encodingDiff(v1, withEmpty).files).toEqual([
      { name: 'empty.apdu', change: 'added', unified: '', hunks: [] },
    ]);
  });
});
