import { describe, expect, it } from 'vitest';
import { sideBySide } from './side-by-side';

/** Hunks as GET /v1/encodings/{id}/diff answers them (docs/api.md, "The encoding diff"). */
describe('a unified hunk as two columns', () => {
  it('puts context lines on both sides with their own line numbers', () => {
    const rows = sideBySide({ fromStart: 6, fromLines: 2, toStart: 8, toLines: 2, lines: [' a', ' b'] });
    expect(rows).toEqual([
      { left: { number: 6, text: 'a', kind: 'same' }, right: { number: 8, text: 'a', kind: 'same' } },
      { left: { number: 7, text: 'b', kind: 'same' }, right: { number: 9, text: 'b', kind: 'same' } },
    ]);
  });

  it('pairs a run of removed lines with the added run after it, the longer run against nothing', () => {
    const rows = sideBySide({
      fromStart: 1,
      fromLines: 3,
      toStart: 1,
      toLines: 2,
      lines: [' keep', '-old 1', '-old 2', '+new 1', ' end'],
    });
    expect(rows.map((r) => [r.left?.text, r.left?.kind, r.right?.text, r.right?.kind])).toEqual([
      ['keep', 'same', 'keep', 'same'],
      ['old 1', 'removed', 'new 1', 'added'],
      ['old 2', 'removed', undefined, undefined],
      ['end', 'same', 'end', 'same'],
    ]);
    // Numbers keep counting on each side: "end" is line 4 of the old file, 3 of the new.
    expect(rows[3]).toMatchObject({ left: { number: 4 }, right: { number: 3 } });
  });

  it('shows an added file as added lines with nothing on the left', () => {
    const rows = sideBySide({ fromStart: 0, fromLines: 0, toStart: 1, toLines: 2, lines: ['+x', '+y'] });
    expect(rows).toEqual([
      { right: { number: 1, text: 'x', kind: 'added' } },
      { right: { number: 2, text: 'y', kind: 'added' } },
    ]);
  });

  it('skips the "no newline at end of file" note instead of showing it as a line', () => {
    const rows = sideBySide({
      fromStart: 1,
      fromLines: 1,
      toStart: 1,
      toLines: 1,
      lines: ['-a', '\\ No newline at end of file', '+b'],
    });
    expect(rows).toEqual([
      { left: { number: 1, text: 'a', kind: 'removed' }, right: { number: 1, text: 'b', kind: 'added' } },
    ]);
  });
});
