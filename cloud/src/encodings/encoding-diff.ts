import type { EncodingDiffSchema } from '@cardfleet/shared';
import type { z } from 'zod';
import { diffHunks, unifiedText } from './unified-diff';

/**
 * Two versions of an encoding compared file by file. It takes the redacted views the
 * store serves (encoding-redaction.ts), never the sealed bundles, so a diff cannot show a
 * secret literal that a GET of either version would not (docs/security.md, Invariants 3).
 */
export type EncodingDiff = z.infer<typeof EncodingDiffSchema>;

interface RedactedVersion {
  id: string;
  version: number;
  files: readonly { name: string; text: string }[];
}

export function encodingDiff(from: RedactedVersion, to: RedactedVersion): EncodingDiff {
  const names = [...new Set([...from.files, ...to.files].map((f) => f.name))].sort();
  const textOf = (v: RedactedVersion, name: string) => v.files.find((f) => f.name === name)?.text;
  const files = names.flatMap((name) => {
    const [before, after] = [textOf(from, name), textOf(to, name)];
    const hunks = diffHunks(before, after);
    // A file only one version has is listed even when it is empty (no hunk to show).
    if (hunks.length === 0 && (before === undefined) === (after === undefined)) return [];
    const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    const unified = unifiedText(
      hunks,
      before === undefined ? '/dev/null' : `${from.id} v${from.version}/${name}`,
      after === undefined ? '/dev/null' : `${to.id} v${to.version}/${name}`,
    );
    return [{ name, change, unified, hunks } as const];
  });
  return {
    id: from.id,
    from: from.version,
    to: to.version,
    redacted: true,
    files,
    diff: files.map((f) => f.unified).join(''),
  };
}
