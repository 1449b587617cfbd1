import type { CardfleetError } from '@cardfleet/shared';
import { trustedLatest } from './audit-checkpointer';
import {
  type Checkpoint,
  checkpointItems,
  EMPTY_CHECKPOINT,
  itemIndex,
  jwsId,
  openCheckpoint,
  type ShardPosition,
} from './audit-checkpoints';
import type { AuditContext } from './audit-context';
import { type StoredEntry, shardEntriesAfter } from './audit-shards';
import {
  type Alert,
  type AuditState,
  type Quarantine,
  quarantineOf,
  raiseAlert,
  readState,
} from './audit-state';
import { type Leaf, type Problem, shardEnd, walkShard } from './audit-walk';
import { extendFrontier, rootOfFrontier } from './merkle';

export interface VerifyReport {
  ok: boolean;
  /** Entries checked (those after the base checkpoint, in an incremental verify). */
  entries: number;
  /** The newest checkpoint, when there is one. */
  checkpoint?: { index: number; size: number; root: string; jws: string };
  /** The checkpoint an incremental verify started from. */
  from?: number;
  /** Entries not yet covered by a checkpoint (the window, docs/security.md). */
  uncovered: number;
  problems: Problem[];
  quarantined: Omit<Quarantine, 'id'>[];
  alerts: Alert[];
  /** The first problem, for one-line answers. */
  shard?: number | 'LOG';
  seq?: number;
  reason?: string;
}

/**
 * Verifies the log (docs/cloud.md, "Auditor"): the checkpoints (signatures, one chain of
 * `prev` hashes, the newest one the witness's newest), then every entry after the base —
 * checkpoint `from`, or the beginning — batch by batch: each checkpoint's tree head must
 * follow from the one before and exactly its entries (RFC 6962 §2.1), and every entry
 * carries the cloud's MAC. Damage a signed quarantine covers is reported, not failed.
 * Everything found raises an alert, so writes that need the damaged range wait for repair.
 */
export async function verifyLog(
  context: AuditContext,
  options: { from?: number } = {},
): Promise<VerifyReport> {
  const { table, signer } = context;
  const state = await readState(table, signer.publicKey);
  const macKey = await context.macKey();
  const problems: Problem[] = [];
  const checkpoints: Checkpoint[] = [];
  let base = EMPTY_CHECKPOINT(context.shards);
  for await (const item of checkpointItems(table, options.from ?? 1)) {
    const index = itemIndex(item);
    const opened = await openCheckpoint(String(item.jws), signer.publicKey);
    if (!opened || opened.body.index !== index) {
      problems.push({
        shard: 'LOG',
        seq: index,
        reason: `checkpoint ${index} does not carry the cloud's signature`,
      });
      continue;
    }
    if (options.from !== undefined && index === options.from) {
      base = opened;
      continue;
    }
    const before = checkpoints.at(-1) ?? base;
    if (
      opened.body.index !== before.body.index + 1 ||
      opened.body.prev !== (before.jws ? jwsId(before.jws) : before.body.prev)
    )
      problems.push({
        shard: 'LOG',
        seq: index,
        reason: `checkpoint ${index} does not follow checkpoint ${before.body.index}`,
      });
    checkpoints.push(opened);
  }
  await trustedLatest(context).catch((error: CardfleetError) =>
    problems.push({ shard: 'LOG', seq: 0, reason: error.message }),
  );
  // Every entry after the base, shard by shard.
  const entries: Map<number, StoredEntry>[] = [];
  const lastSeq: number[] = [];
  // Stryker disable next-line EqualityOperator: a shard past the last holds no entry, so its walk finds nothing
  for (let shard = 0; shard < context.shards; shard++) {
    const map = new Map<number, StoredEntry>();
    let last = base.body.shards[shard]?.seq ?? 0;
    for await (const stored of shardEntriesAfter(table, shard, last)) {
      map.set(stored.seq, stored);
      last = Math.max(last, stored.seq);
    }
    entries.push(map);
    lastSeq.push(last);
  }
  let checked = 0;
  let frontier = base.body.frontier;
  let positions = base.body.shards;
  for (const checkpoint of checkpoints) {
    const leaves: Leaf[] = [];
    let forgiven = false;
    // Stryker disable next-line EqualityOperator: a shard past the last holds no entry, so its walk finds nothing
    for (let shard = 0; shard < context.shards; shard++) {
      const from = positions[shard] ?? { seq: 0, hash: '0'.repeat(64) };
      const to = checkpoint.body.shards[shard] ?? from;
      const walk = walkShard({
        shard,
        from,
        entries: entries[shard] ?? new Map(),
        until: to.seq,
        state: skipsOf(shard, to),
        macKey,
        unlinked: quarantineOf(state, shard, from.seq) !== undefined,
      });
      for (const problem of walk.problems) {
        // A damaged entry explains the batch's tree head: reported once, as the entry.
        forgiven = true;
        if (quarantineOf(state, shard, problem.seq)) continue;
        problems.push(problem);
      }
      const endsSkipped = to.skip?.some(([a, b]) => a <= to.seq && to.seq <= b);
      if (
        !endsSkipped &&
        walk.position.hash !== to.hash &&
        !quarantineOf(state, shard, to.seq) &&
        walk.problems.length === 0
      )
        problems.push({
          shard,
          seq: to.seq,
          reason: `is not the entry checkpoint ${checkpoint.body.index} covers`,
        });
      leaves.push(...walk.leaves);
    }
    checked += leaves.length;
    const root = rootOfFrontier(
      extendFrontier(
        frontier,
        leaves.map((l) => l.leaf),
      ),
    ).toString('hex');
    if (!forgiven && root !== checkpoint.body.root)
      problems.push({
        shard: 'LOG',
        seq: checkpoint.body.index,
        reason: `checkpoint ${checkpoint.body.index} does not match its entries`,
      });
    frontier = checkpoint.body.frontier;
    positions = checkpoint.body.shards;
  }
  // The entries no checkpoint covers yet: checked the same way, with today's quarantines.
  let uncovered = 0;
  // Stryker disable next-line EqualityOperator: a shard past the last holds no entry, so its walk finds nothing
  for (let shard = 0; shard < context.shards; shard++) {
    const from = positions[shard] ?? { seq: 0, hash: '0'.repeat(64) };
    const walk = walkShard({
      shard,
      from,
      entries: entries[shard] ?? new Map(),
      until: shardEnd(state, shard, lastSeq[shard] ?? 0),
      state,
      macKey,
    });
    problems.push(...walk.problems);
    uncovered += walk.leaves.length;
  }
  for (const problem of problems) await raiseAlert(table, { ...problem, at: context.now() }, context.log);
  const latest = checkpoints.at(-1) ?? (base.jws ? base : undefined);
  const first = problems[0];
  return {
    ok: problems.length === 0,
    entries: checked + uncovered,
    ...(latest
      ? {
          checkpoint: {
            index: latest.body.index,
            size: latest.body.size,
            root: latest.body.root,
            jws: latest.jws,
          },
        }
      : {}),
    ...(options.from !== undefined ? { from: options.from } : {}),
    uncovered,
    problems,
    quarantined: state.quarantines.map(({ id: _id, ...q }) => q),
    alerts: (await readState(table, signer.publicKey)).alerts,
    ...(first ? { shard: first.shard, seq: first.seq, reason: first.reason } : {}),
  };
}

/** The quarantines a checkpoint passed over, as a state the walk understands. */
function skipsOf(shard: number, position: ShardPosition): AuditState {
  return {
    // Stryker disable next-line ArrayDeclaration: the walk reads the quarantines of a state, not its alerts
    alerts: [],
    // Stryker disable next-line ArrayDeclaration: with no skip, a stand-in list of strings gives no sequence range either
    quarantines: (position.skip ?? []).map(([from, to]) => ({
      shard,
      from,
      to,
      reason: '',
      at: '',
      by: '',
      id: position.hash,
    })),
  };
}
