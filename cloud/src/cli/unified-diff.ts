/**
 * A unified diff of two texts (the `diff -u` format, POSIX diff's -u output), by the
 * longest common subsequence of their lines. Encoding files are small (the bundle size
 * limit, docs/encoding-format.md), so the quadratic table is fine.
 */
export function unifiedDiff(a: string, b: string, fromName: string, toName: string, context = 3): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        x[i] === y[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  type Op = { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const at = (r: number, c: number) => (lcs[r] as number[])[c] as number;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j])
      ops.push({ kind: ' ', line: x[i++] as string, ai: i, bi: ++j });
    else if (j < y.length && (i === x.length || at(i, j + 1) >= at(i + 1, j)))
      ops.push({ kind: '+', line: y[j++] as string, ai: i, bi: j });
    else ops.push({ kind: '-', line: x[i++] as string, ai: i, bi: j });
  }
  const changed = ops.map((op, k) => (op.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const last = hunks[hunks.length - 1];
    if (last && k - context <= last[1] + context) last[1] = k;
    else hunks.push([k, k]);
  }
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  for (const [first, lastChange] of hunks) {
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, lastChange + context);
    const slice = ops.slice(start, end + 1);
    const aLines = slice.filter((o) => o.kind !== '+').length;
    const bLines = slice.filter((o) => o.kind !== '-').length;
    const aStart = slice.find((o) => o.kind !== '+')?.ai ?? 0;
    const bStart = slice.find((o) => o.kind !== '-')?.bi ?? 0;
    out.push(`@@ -${aStart},${aLines} +${bStart},${bLines} @@`, ...slice.map((o) => `${o.kind}${o.line}`));
  }
  return `${out.join('\n')}\n`;
}
