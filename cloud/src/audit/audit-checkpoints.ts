import { createHash } from 'node:crypto';
import { CardfleetError } from '@cardfleet/shared';
import { type CryptoKey, decodeProtectedHeader, type JWK } from 'jose';
import type { Signer } from '../crypto/signer';
import { verifySigned } from '../crypto/signer';
import { keys } from '../storage/table-design';
import { encodeCursor, type Item, type Table } from '../storage/table-port';
import { GENESIS_HASH } from './audit-entry';
import { type FrontierNode, frontierSize, rootOfFrontier } from './merkle';

/**
 * Signed checkpoints (docs/cloud.md, "Auditor"): a tree head over the whole log — RFC 6962
 * §3.5's signed tree head, as Trillian and the C2SP checkpoints keep it — signed once per
 * checkpoint, not per entry. Checkpoint k names the previous one (hash of its JWS), where
 * each shard stood when it was made (the log's leaves are, checkpoint after checkpoint,
 * the new entries of shard 0, then shard 1, …), and the right edge of the tree, so the next
 * checkpoint extends it with only the new leaves. Checkpoint k is written once (a
 * conditional put on its index): concurrent checkpointers cannot fork the log.
 */
export const CHECKPOINT_TYP = 'cardfleet-checkpoint+jws';
export const REPAIR_TYP = 'cardfleet-audit-repair+jws';

export interface ShardPosition {
  /** The last sequence number of the shard this checkpoint covers, and that entry's hash. */
  seq: number;
  hash: string;
  /** Quarantined sequence numbers this checkpoint passed over (audit-repair.ts). */
  skip?: [number, number][];
}

export interface CheckpointBody {
  v: 1;
  index: number;
  size: number;
  root: string;
  at: string;
  /** sha256 of the previous checkpoint's JWS (GENESIS_HASH for the first). */
  prev: string;
  shards: ShardPosition[];
  frontier: FrontierNode[];
}

export interface Checkpoint {
  jws: string;
  body: CheckpointBody;
}

export const jwsId = (jws: string) => createHash('sha256').update(jws).digest('hex');

export const EMPTY_CHECKPOINT = (shards: number): Checkpoint => ({
  jws: '',
  body: {
    v: 1,
    index: 0,
    size: 0,
    root: rootOfFrontier([]).toString('hex'),
    at: '',
    prev: GENESIS_HASH,
    shards: Array.from({ length: shards }, () => ({ seq: 0, hash: GENESIS_HASH })),
    frontier: [],
  },
});

export async function signCheckpoint(signer: Signer, body: CheckpointBody): Promise<Checkpoint> {
  const jws = await signer.sign(new TextEncoder().encode(JSON.stringify(body)), CHECKPOINT_TYP);
  return { jws, body };
}

/**
 * The checkpoint a JWS carries, when it is one: signature by the key, typ, and a body
 * whose right edge is the tree head it signs. Anything else is undefined.
 */
export async function openCheckpoint(jws: string, key: CryptoKey | JWK): Promise<Checkpoint | undefined> {
  const payload = await verifySigned(jws, key);
  if (!payload) return undefined;
  try {
    if (decodeProtectedHeader(jws).typ !== CHECKPOINT_TYP) return undefined;
    const body = JSON.parse(new TextDecoder().decode(payload)) as CheckpointBody;
    if (body.v !== 1 || !Array.isArray(body.frontier) || !Array.isArray(body.shards)) return undefined;
    if (frontierSize(body.frontier) !== body.size) return undefined;
    if (rootOfFrontier(body.frontier).toString('hex') !== body.root) return undefined;
    return { jws, body };
  } catch {
    return undefined;
  }
}

/** The newest checkpoint item in the table (one descending query), or undefined. */
export async function latestCheckpointItem(table: Table): Promise<Item | undefined> {
  const page = await table.queryPage(keys.auditCheckpoints, { limit: 1, descending: true });
  return page.items[0];
}

/** Checkpoint items from index `from` on, in order (paged through the table). */
export async function* checkpointItems(table: Table, from = 1): AsyncGenerator<Item> {
  let cursor: string | undefined = from > 1 ? cursorBefore(from) : undefined;
  do {
    const page = await table.queryPage(keys.auditCheckpoints, { limit: 100, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

const cursorBefore = (index: number) => encodeCursor(keys.auditCheckpoint(index - 1));

/** The index a checkpoint item sits under (its sort key), whatever its JWS says. */
export const itemIndex = (item: Item) => Number(String(item.SK).slice('CKPT#'.length));

/** Refuses with AUDIT_TAMPERED: the one error every detected tampering raises. */
export function tampered(message: string, details?: Record<string, unknown>): CardfleetError {
  return new CardfleetError('AUDIT_TAMPERED', message, details ? { details } : undefined);
}
