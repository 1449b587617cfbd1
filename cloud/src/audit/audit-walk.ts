import type { ShardPosition } from './audit-checkpoints';
import { type AuditEntry, entryLeaf, entryProblem } from './audit-entry';
import type { StoredEntry } from './audit-shards';
import { type AuditState, quarantineOf } from './audit-state';

/** A finding: where (shard and sequence number, or the checkpoints) and why. */
export interface Problem {
  shard: number | 'LOG';
  seq: number;
  reason: string;
}

export interface Leaf {
  seq: number;
  leaf: Buffer;
  entry: AuditEntry;
}

export interface Walk {
  leaves: Leaf[];
  position: ShardPosition;
  problems: Problem[];
}

/**
 * Walks one shard from a checkpoint's position to `until` (inclusive): every position must
 * hold the entry the cloud wrote there — under its own key, with its hash, its MAC and the
 * link to the entry before it — unless a signed quarantine covers it (audit-repair.ts).
 * The same walk makes a checkpoint (which refuses on any problem), verifies one, and
 * rebuilds the leaves for proofs, so all three read the log one way.
 */
export function walkShard(input: {
  shard: number;
  from: ShardPosition;
  entries: ReadonlyMap<number, StoredEntry>;
  until: number;
  state: AuditState;
  /** Without a key the MACs are not checked (proofs: the auditor checks them against a checkpoint). */
  macKey?: Uint8Array;
}): Walk {
  const { shard, from, entries, until, state, macKey } = input;
  const leaves: Leaf[] = [];
  const problems: Problem[] = [];
  const skip: [number, number][] = [];
  let link: string | undefined = from.hash;
  let hash = from.hash;
  for (let seq = from.seq + 1; seq <= until; seq++) {
    const quarantine = quarantineOf(state, shard, seq);
    if (quarantine) {
      const last = skip.at(-1);
      if (last && last[1] === seq - 1) last[1] = seq;
      else skip.push([seq, seq]);
      link = undefined; // what follows a quarantine may link to the lost entry or to the repair
      hash = quarantine.id;
      continue;
    }
    const stored = entries.get(seq);
    const entry = stored?.entry;
    const problem = !stored
      ? 'entry missing (deleted)'
      : !entry
        ? 'not a readable entry'
        : macKey
          ? entryProblem(macKey, entry, shard, seq)
          : undefined;
    if (problem || !entry) {
      problems.push({ shard, seq, reason: problem ?? 'not a readable entry' });
      link = undefined;
      continue;
    }
    if (link !== undefined && entry.prevHash !== link)
      problems.push({ shard, seq, reason: 'does not link to the entry before it' });
    leaves.push({ seq, leaf: entryLeaf(entry), entry });
    link = entry.hash;
    hash = entry.hash;
  }
  return {
    leaves,
    problems,
    position: { seq: Math.max(from.seq, until), hash, ...(skip.length ? { skip } : {}) },
  };
}

/** Where a shard's walk ends: its last entry, or the end of a quarantine after it. */
export function shardEnd(state: AuditState, shard: number, lastSeq: number): number {
  return state.quarantines.reduce((end, q) => (q.shard === shard && q.to > end ? q.to : end), lastSeq);
}
