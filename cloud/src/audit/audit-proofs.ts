import { CardfleetError } from '@cardfleet/shared';
import { indexKeys } from '../storage/table-design';
import { trustedLatest } from './audit-checkpointer';
import { type Checkpoint, checkpointItems, openCheckpoint, type ShardPosition } from './audit-checkpoints';
import type { AuditContext } from './audit-context';
import { type PublicEntry, publicEntry } from './audit-entry';
import { type StoredEntry, shardEntriesAfter } from './audit-shards';
import { type Leaf, walkShard } from './audit-walk';
import { consistencyProofFrom, inclusionPathFromLevels, treeLevels } from './merkle';

/** What `audit prove --card` hands an auditor: check it offline with `audit verify-proof`. */
export interface CardProof {
  cardSerial: string;
  /** The signed checkpoint the proofs are against (compact JWS, typ cardfleet-checkpoint+jws). */
  checkpoint: string;
  entries: { entry: PublicEntry; index: number; proof: string[] }[];
  /** Entries of the card appended after that checkpoint: proven by a later one. */
  pending: { shard: number; seq: number }[];
}

export interface ConsistencyAnswer {
  from: string;
  to: string;
  proof: string[];
}

/**
 * The log's leaves in order up to a checkpoint — the new entries of shard 0, 1, … batch by
 * batch, passing over what each checkpoint skipped — with their positions. Proofs are
 * computed from them (RFC 6962 §2.1.1, §2.1.2); whatever the table holds, a proof only
 * convinces an auditor if it leads to the signed tree head.
 */
async function leavesUpTo(
  context: AuditContext,
  target: Checkpoint,
  /** Only the leaves after this checkpoint (a consistency proof needs no more). */
  base?: Checkpoint,
): Promise<(Leaf & { shard: number })[]> {
  const entries: Map<number, StoredEntry>[] = [];
  // Stryker disable next-line EqualityOperator: a shard past the last holds no entry, so its walk finds nothing
  for (let shard = 0; shard < context.shards; shard++) {
    const map = new Map<number, StoredEntry>();
    const end = target.body.shards[shard]?.seq ?? 0;
    for await (const stored of shardEntriesAfter(context.table, shard, base?.body.shards[shard]?.seq ?? 0)) {
      if (stored.seq > end) break;
      map.set(stored.seq, stored);
    }
    entries.push(map);
  }
  const leaves: (Leaf & { shard: number })[] = [];
  let positions: ShardPosition[] = base?.body.shards ?? [];
  for await (const item of checkpointItems(context.table, (base?.body.index ?? 0) + 1)) {
    const checkpoint = await openCheckpoint(String(item.jws), context.signer.publicKey);
    if (!checkpoint)
      throw new CardfleetError('AUDIT_TAMPERED', 'a checkpoint does not verify: run audit verify');
    // Stryker disable next-line EqualityOperator: a shard past the last holds no entry, so its walk finds nothing
    for (let shard = 0; shard < context.shards; shard++) {
      const to = checkpoint.body.shards[shard] ?? { seq: 0, hash: '' };
      // Stryker disable next-line ArrayDeclaration: with no skip, a stand-in list of strings gives no sequence range either
      const quarantines = (to.skip ?? []).map(([from, end]) => ({
        shard,
        from,
        to: end,
        reason: '',
        at: '',
        by: '',
        id: '',
      }));
      const walk = walkShard({
        shard,
        from: positions[shard] ?? { seq: 0, hash: '0'.repeat(64) },
        entries: entries[shard] ?? new Map(),
        until: to.seq,
        // Stryker disable next-line ArrayDeclaration: the walk reads the quarantines of a state, not its alerts
        state: { alerts: [], quarantines },
      });
      // Links are the verifier's business; a proof needs every leaf, and checks against the signed head.
      if (walk.problems.some((p) => p.reason !== 'does not link to the entry before it'))
        throw new CardfleetError(
          'AUDIT_TAMPERED',
          'entries under the checkpoint are damaged: run audit verify',
        );
      leaves.push(...walk.leaves.map((l) => ({ ...l, shard })));
    }
    positions = checkpoint.body.shards;
    if (checkpoint.body.index === target.body.index) break;
  }
  return leaves;
}

/** Checkpoint `index`, as signed, when it is the newest or older (NOT_FOUND otherwise). */
async function checkpointAt(context: AuditContext, latest: Checkpoint, index: number): Promise<Checkpoint> {
  let found: Checkpoint | undefined;
  for await (const item of checkpointItems(context.table, index)) {
    found = await openCheckpoint(String(item.jws), context.signer.publicKey);
    break;
  }
  if (!found || found.body.index !== index || index > latest.body.index)
    throw new CardfleetError('NOT_FOUND', `no checkpoint ${index}`);
  return found;
}

/**
 * A card's entries with inclusion proofs against the newest checkpoint, or against
 * checkpoint `index` — the one an auditor (or the console) already verified, so proofs and
 * tree head cannot drift apart when a newer checkpoint lands between two requests.
 */
export async function proveCard(
  context: AuditContext,
  cardSerial: string,
  index?: number,
): Promise<CardProof> {
  const latest = await trustedLatest(context);
  const checkpoint = index === undefined ? latest : await checkpointAt(context, latest, index);
  const pointers: { shard: number; seq: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await context.table.queryPage(indexKeys.auditOfCard(cardSerial), {
      index: 'GSI1',
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    pointers.push(...page.items.map((i) => ({ shard: Number(i.shard), seq: Number(i.seq) })));
    cursor = page.cursor;
  } while (cursor);
  const covered = pointers.filter((p) => p.seq <= (checkpoint.body.shards[p.shard]?.seq ?? 0));
  const pending = pointers.filter((p) => !covered.includes(p));
  if (covered.length === 0) return { cardSerial, checkpoint: checkpoint.jws, entries: [], pending };
  const leaves = await leavesUpTo(context, checkpoint);
  const levels = treeLevels(leaves.map((l) => l.leaf));
  const at = new Map(leaves.map((l, index) => [`${l.shard}/${l.seq}`, index]));
  const entries = covered.flatMap((p) => {
    const index = at.get(`${p.shard}/${p.seq}`);
    const leaf = index === undefined ? undefined : leaves[index];
    if (index === undefined || !leaf) return [];
    return [
      {
        entry: publicEntry(leaf.entry),
        index,
        proof: inclusionPathFromLevels(levels, index).map((h) => h.toString('hex')),
      },
    ];
  });
  return { cardSerial, checkpoint: checkpoint.jws, entries, pending };
}

/** The consistency proof from checkpoint `from` to the newest (RFC 6962 §2.1.2). */
export async function proveConsistency(context: AuditContext, from: number): Promise<ConsistencyAnswer> {
  const latest = await trustedLatest(context);
  const older = await checkpointAt(context, latest, from);
  const leaves = await leavesUpTo(context, latest, older);
  const proof = consistencyProofFrom(
    older.body.frontier,
    leaves.map((l) => l.leaf),
  );
  return { from: older.jws, to: latest.jws, proof: proof.map((h) => h.toString('hex')) };
}
