import { keys } from '../storage/table-design';
import {
  type Checkpoint,
  type CheckpointBody,
  EMPTY_CHECKPOINT,
  itemIndex,
  jwsId,
  latestCheckpointItem,
  openCheckpoint,
  type ShardPosition,
  signCheckpoint,
  tampered,
} from './audit-checkpoints';
import type { AuditContext } from './audit-context';
import { type StoredEntry, shardEntriesAfter } from './audit-shards';
import { openAlerts, quarantineOf, raiseAlert, readState } from './audit-state';
import { type Leaf, type Problem, shardEnd, walkShard } from './audit-walk';
import { extendFrontier, rootOfFrontier } from './merkle';

/**
 * Makes checkpoint k+1 (docs/cloud.md, "Auditor"). Never signs what it did not verify:
 * checkpoint k must carry the cloud's signature and be the witness's newest (an older one
 * put back, or a rewritten one, is refused); every entry since k is checked — position,
 * hash, MAC, link — starting from the hash k recorded for its shard; any finding raises an
 * alert and refuses with AUDIT_TAMPERED. Open alerts refuse it too, until a repair. The
 * new tree head extends k's right edge with the new leaves only (RFC 6962 §2.1).
 */
export async function checkpointNow(context: AuditContext): Promise<Checkpoint> {
  const { table, signer, witness, now } = context;
  const state = await readState(table, signer.publicKey);
  const open = openAlerts(state);
  if (open.length > 0)
    throw tampered('the audit log has unrepaired damage: no checkpoint until it is repaired', {
      alerts: open,
    });
  const previous = await trustedLatest(context);
  const macKey = await context.macKey();
  const leaves: Leaf[] = [];
  const problems: Problem[] = [];
  const shards: ShardPosition[] = [];
  for (let shard = 0; shard < context.shards; shard++) {
    const from = previous.body.shards[shard] ?? { seq: 0, hash: '0'.repeat(64) };
    // The entry the previous checkpoint ended this shard at must still be that entry.
    if (from.seq > 0 && !quarantineOf(state, shard, from.seq)) {
      const item = await table.get(keys.auditEntry(shard, from.seq));
      const hash = item ? (JSON.parse(String(item.entry)) as { hash?: string }).hash : undefined;
      if (hash !== from.hash)
        problems.push({ shard, seq: from.seq, reason: 'differs from the entry the last checkpoint covers' });
    }
    const entries = new Map<number, StoredEntry>();
    let last = from.seq;
    for await (const stored of shardEntriesAfter(table, shard, from.seq)) {
      entries.set(stored.seq, stored);
      last = Math.max(last, stored.seq);
    }
    const walk = walkShard({ shard, from, entries, until: shardEnd(state, shard, last), state, macKey });
    leaves.push(...walk.leaves);
    problems.push(...walk.problems);
    shards.push(walk.position);
  }
  if (problems.length > 0) {
    for (const problem of problems) await raiseAlert(table, { ...problem, at: now() }, context.log);
    throw tampered('the audit log holds entries the cloud did not write: not signed', { problems });
  }
  const moved = shards.some((p, s) => p.seq !== previous.body.shards[s]?.seq);
  if (!moved) return previous;
  const frontier = extendFrontier(
    previous.body.frontier,
    leaves.map((l) => l.leaf),
  );
  const body: CheckpointBody = {
    v: 1,
    index: previous.body.index + 1,
    size: previous.body.size + leaves.length,
    root: rootOfFrontier(frontier).toString('hex'),
    at: now(),
    prev: previous.jws ? jwsId(previous.jws) : previous.body.prev,
    shards,
    frontier,
  };
  const made = await signCheckpoint(signer, body);
  if (!(await table.putNew({ ...keys.auditCheckpoint(body.index), jws: made.jws }))) {
    return trustedLatest(context); // another instance made checkpoint k+1 first
  }
  await witness.publish(body.index, made.jws);
  return made;
}

/**
 * The table's newest checkpoint, once it is shown to be the truth: signed by the cloud,
 * under its own index, and the witness's newest (the witness holds nothing after it, and
 * holds this one — republished when a crash came between the table and the witness).
 */
export async function trustedLatest(context: AuditContext): Promise<Checkpoint> {
  const { table, signer, witness, now } = context;
  const item = await latestCheckpointItem(table);
  const refuse = async (seq: number, reason: string): Promise<never> => {
    await raiseAlert(table, { shard: 'LOG', seq, reason, at: now() }, context.log);
    throw tampered(reason);
  };
  if (!item) {
    if (await witness.get(1)) return refuse(1, 'the witness holds checkpoints the table has lost');
    return EMPTY_CHECKPOINT(context.shards);
  }
  const index = itemIndex(item);
  const checkpoint = await openCheckpoint(String(item.jws), signer.publicKey);
  if (!checkpoint || checkpoint.body.index !== index)
    return refuse(index, `checkpoint ${index} does not carry the cloud's signature`);
  const published = await witness.get(index);
  if (published === undefined) await witness.publish(index, checkpoint.jws);
  else if (published !== checkpoint.jws)
    return refuse(index, `checkpoint ${index} is not the one the witness holds`);
  if (await witness.get(index + 1))
    return refuse(
      index + 1,
      `the witness holds checkpoint ${index + 1}: the table's checkpoints were rolled back`,
    );
  return checkpoint;
}
