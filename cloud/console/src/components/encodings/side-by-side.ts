import type { DiffHunk } from '../../api/encodings-api';

export interface DiffCell {
  number: number;
  text: string;
  kind: 'same' | 'removed' | 'added';
}

/** One row of a two-column diff: the old line on the left, the new on the right (either may be absent). */
export interface DiffRow {
  left?: DiffCell;
  right?: DiffCell;
}

/**
 * A unified diff hunk (POSIX `diff -u`, docs/api.md "The encoding diff") as rows of two
 * columns: context lines on both sides; a run of removed lines beside the run of added
 * lines that follows it, paired in order, the longer run's rest against nothing.
 */
export function sideBySide(hunk: DiffHunk): DiffRow[] {
  const rows: DiffRow[] = [];
  let from = hunk.fromStart;
  let to = hunk.toStart;
  let removed: DiffCell[] = [];
  let added: DiffCell[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const left = removed[i];
      const right = added[i];
      rows.push({ ...(left ? { left } : {}), ...(right ? { right } : {}) });
    }
    removed = [];
    added = [];
  };
  for (const line of hunk.lines) {
    const mark = line[0];
    const text = line.slice(1);
    if (mark === '-') removed.push({ number: from++, text, kind: 'removed' });
    else if (mark === '+') added.push({ number: to++, text, kind: 'added' });
    else if (mark === ' ') {
      flush();
      rows.push({
        left: { number: from++, text, kind: 'same' },
        right: { number: to++, text, kind: 'same' },
      });
    }
    // Anything else ("\ No newline at end of file") is about the line before: nothing to show.
  }
  flush();
  return rows;
}
