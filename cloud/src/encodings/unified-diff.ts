/**
 * A unified diff of two texts (the `diff -u` format, POSIX diff's -u output), by the
 * longest common subsequence of their lines. Encoding files are small (the bundle size
 * limit, docs/encoding-format.md), so the quadratic table is fine. Pure: the API's
 * encoding diff (encoding-diff.ts) is built on it, and the CLI prints what the API answers.
 */
export interface Hunk {
  /** 1-based first line in each text (0 when the hunk has no line there, as `diff -u` writes it). */
  fromStart: number;
  fromLines: number;
  toStart: number;
  toLines: number;
  /** Each line with its mark: ' ' in both, '-' only in the first, '+' only in the second. */
  lines: string[];
}

type Op = { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number };

/** A text's lines; the newline that ends the last line does not open another one. */
export function linesOf(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function editScript(x: string[], y: string[]): Op[] {
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  const at = (r: number, c: number) => (lcs[r] as number[])[c] as number;
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] = x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j])
      ops.push({ kind: ' ', line: x[i++] as string, ai: i, bi: ++j });
    // Removals before additions where either keeps the subsequence longest, as diff -u writes them.
    else if (i < x.length && (j === y.length || at(i + 1, j) >= at(i, j + 1)))
      ops.push({ kind: '-', line: x[i++] as string, ai: i, bi: j });
    else ops.push({ kind: '+', line: y[j++] as string, ai: i, bi: j });
  }
  return ops;
}

/** The hunks that turn `a` into `b`, each with `context` unchanged lines around its changes. */
export function diffHunks(a: string | undefined, b: string | undefined, context = 3): Hunk[] {
  const ops = editScript(linesOf(a), linesOf(b));
  const changed = ops.map((op, k) => (op.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  const spans: [number, number][] = [];
  for (const k of changed) {
    const last = spans[spans.length - 1];
    // Changes at most twice the context apart share a hunk (their contexts would touch).
    if (last && k - last[1] - 1 <= 2 * context) last[1] = k;
    else spans.push([k, k]);
  }
  return spans.map(([first, lastChange]) => {
    const slice = ops.slice(Math.max(0, first - context), Math.min(ops.length - 1, lastChange + context) + 1);
    const fromLines = slice.filter((o) => o.kind !== '+').length;
    const toLines = slice.filter((o) => o.kind !== '-').length;
    // `diff -u` numbers an empty side by the line before it (0 at the start of the file).
    const fromStart = slice.find((o) => o.kind !== '+')?.ai ?? slice[0]?.ai ?? 0;
    const toStart = slice.find((o) => o.kind !== '-')?.bi ?? slice[0]?.bi ?? 0;
    return { fromStart, fromLines, toStart, toLines, lines: slice.map((o) => `${o.kind}${o.line}`) };
  });
}

/** The hunks as `diff -u` text under `--- from` / `+++ to` headers ('' when there are none). */
export function unifiedText(hunks: readonly Hunk[], fromName: string, toName: string): string {
  if (hunks.length === 0) return '';
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  for (const h of hunks)
    out.push(`@@ -${h.fromStart},${h.fromLines} +${h.toStart},${h.toLines} @@`, ...h.lines);
  return `${out.join('\n')}\n`;
}
