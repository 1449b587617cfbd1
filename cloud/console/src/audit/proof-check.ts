import { type CheckpointCheck, type JwkSet, verifyCheckpoint } from './checkpoint-check';
import { fromHex, leafHash, sha256, toHex, verifyConsistency, verifyInclusion } from './merkle-check';

/**
 * A card's audit history verified in the browser (docs/console-audit.md): the checkpoint
 * against the published keys (checkpoint-check.ts), then each entry as the page shows it —
 * its own hash and its RFC 6962 leaf recomputed here, exactly as the cloud computes them
 * (cloud/src/audit/audit-entry.ts: canonical JSON of the entry without its MAC) — walked up
 * its inclusion proof (RFC 9162 §2.1.3.2) to the signed root. Nothing the server says about
 * an entry is taken on trust but its position, and a wrong position fails the proof.
 */
export type { CheckpointCheck, CheckpointClaims, JwkSet } from './checkpoint-check';
export { verifyCheckpoint } from './checkpoint-check';

/** An audit entry as the API shows it (shared/src/messages/audit-api-schemas.ts, AuditEntry). */
export interface ShownEntry {
  shard: number;
  seq: number;
  hash: string;
  cardSerial?: string | undefined;
  details?: Record<string, unknown> | undefined;
  mac?: string | undefined;
  /* …and every other field the API shows: all of them are hashed, whatever they are. */
}

/** GET /v1/audit/prove?card= (AuditCardProof). */
export interface CardProofs {
  cardSerial: string;
  checkpoint: string;
  entries: readonly { entry: ShownEntry; index: number; proof: readonly string[] }[];
  pending: readonly { shard: number; seq: number }[];
}

export type EntryStatus = 'verified' | 'failed' | 'pending';

export interface EntryCheck {
  shard: number;
  seq: number;
  status: EntryStatus;
  /** In words: what was proven, what failed, or why there is nothing to prove yet. */
  reason: string;
  /** Its position in the checkpoint's tree, when the server gave one. */
  index?: number;
}

export interface CardHistoryCheck {
  checkpoint: CheckpointCheck;
  entries: EntryCheck[];
}

/** Canonical JSON, as the cloud hashes it: keys sorted at every level, undefined left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

/** The entry without its MAC: what the Merkle leaf covers (the MAC only the cloud can check). */
function publicPart(entry: ShownEntry): Omit<ShownEntry, 'mac'> {
  const { mac: _mac, ...rest } = entry;
  return rest;
}

/** The entry's own hash: SHA-256 of its canonical JSON without `hash` and `mac`, hex. */
export async function entryHashOf(entry: ShownEntry): Promise<string> {
  const { hash: _hash, ...rest } = publicPart(entry);
  return toHex(await sha256(utf8(canonicalJson(rest))));
}

/** The entry's Merkle leaf hash: MTH({canonical JSON of the entry without its MAC}) (RFC 6962 §2.1). */
export async function entryLeafHash(entry: ShownEntry): Promise<Uint8Array> {
  return leafHash(utf8(canonicalJson(publicPart(entry))));
}

/** The card an entry names: `cardSerial`, or `details.cardSerial` on a job result (as the cloud reads it). */
function entryCard(entry: ShownEntry): string | undefined {
  const fromDetails = entry.details?.cardSerial;
  return entry.cardSerial ?? (typeof fromDetails === 'string' ? fromDetails : undefined);
}

const where = (e: { shard: number; seq: number }) => `${e.shard}/${e.seq}`;

async function checkEntry(
  entry: ShownEntry,
  cardSerial: string,
  proven: CardProofs['entries'][number],
  tree: { index: number; size: number; root: string },
): Promise<Omit<EntryCheck, 'shard' | 'seq'>> {
  const { index } = proven;
  const failed = (reason: string) => ({ status: 'failed' as const, reason, index });
  if (entryCard(entry) !== cardSerial) return failed(`the entry does not name card ${cardSerial}`);
  if ((await entryHashOf(entry)) !== entry.hash)
    return failed('its content does not match its own hash: it was changed after it was written');
  if (!Number.isSafeInteger(index) || index < 0 || index >= tree.size)
    return failed(`position ${index} is not in checkpoint ${tree.index}, a tree of ${tree.size} entries`);
  const path = proven.proof.map((h) => (/^[0-9a-f]{64}$/.test(h) ? fromHex(h) : undefined));
  if (path.some((h) => h === undefined))
    return failed('its proof holds something that is not a SHA-256 hash');
  const holds = await verifyInclusion(
    await entryLeafHash(entry),
    index,
    tree.size,
    path as Uint8Array[],
    fromHex(tree.root) as Uint8Array,
  );
  if (!holds)
    return failed(
      `its inclusion proof does not lead to the root of checkpoint ${tree.index}: this is not the entry the checkpoint signed at position ${index}`,
    );
  return { status: 'verified', reason: `included at position ${index} of checkpoint ${tree.index}`, index };
}

/**
 * Verifies a card's history: `proofs` from GET /v1/audit/prove, `shown` the entries the
 * page shows (by default the proofs' own entries; pass the search results to check those).
 * Each shown entry is verified, failed (with the reason), or pending — appended after the
 * checkpoint, so no checkpoint covers it yet. Entries the proofs hold but the page does not
 * show are checked too, so nothing proven goes unseen.
 */
export async function verifyCardHistory(input: {
  jwks: JwkSet;
  proofs: CardProofs;
  shown?: readonly ShownEntry[];
}): Promise<CardHistoryCheck> {
  const { jwks, proofs } = input;
  const checkpoint = await verifyCheckpoint(jwks, proofs.checkpoint);
  const byPosition = new Map(proofs.entries.map((p) => [where(p.entry), p]));
  const pending = new Set(proofs.pending.map(where));
  const shown = [...(input.shown ?? proofs.entries.map((p) => p.entry))];
  const seen = new Set(shown.map(where));
  for (const p of proofs.entries) if (!seen.has(where(p.entry))) shown.push(p.entry);
  const entries: EntryCheck[] = [];
  for (const entry of shown) {
    const position = { shard: entry.shard, seq: entry.seq };
    const proven = byPosition.get(where(entry));
    if (!proven) {
      entries.push(
        pending.has(where(entry))
          ? {
              ...position,
              status: 'pending',
              reason: 'not yet in a checkpoint: appended after the newest one',
            }
          : {
              ...position,
              status: 'failed',
              reason: 'the server gave no proof for it and did not list it as pending',
            },
      );
    } else if (!checkpoint.ok) {
      entries.push({ ...position, status: 'failed', reason: checkpoint.reason, index: proven.index });
    } else {
      entries.push({
        ...position,
        ...(await checkEntry(entry, proofs.cardSerial, proven, checkpoint.claims)),
      });
    }
  }
  return { checkpoint, entries };
}

/**
 * Whether a newer checkpoint extends one the auditor verified before (GET
 * /v1/audit/consistency?from=k; RFC 9162 §2.1.4.2): both signed by published keys, the
 * newer one's tree starting with the older one's. A server that rewrote or forked the log
 * after the older checkpoint cannot pass this.
 */
export async function verifyExtends(
  jwks: JwkSet,
  answer: { from: string; to: string; proof: readonly string[] },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const older = await verifyCheckpoint(jwks, answer.from);
  if (!older.ok) return { ok: false, reason: `the older ${older.reason.slice('the '.length)}` };
  const newer = await verifyCheckpoint(jwks, answer.to);
  if (!newer.ok) return { ok: false, reason: `the newer ${newer.reason.slice('the '.length)}` };
  const path = answer.proof.map((h) => (/^[0-9a-f]{64}$/.test(h) ? fromHex(h) : undefined));
  const [a, b] = [older.claims, newer.claims];
  if (a.index > b.index) return { ok: false, reason: `checkpoint ${a.index} is newer than ${b.index}` };
  const holds =
    !path.some((h) => h === undefined) &&
    (await verifyConsistency(
      a.size,
      b.size,
      fromHex(a.root) as Uint8Array,
      fromHex(b.root) as Uint8Array,
      path as Uint8Array[],
    ));
  return holds
    ? { ok: true }
    : {
        ok: false,
        reason: `checkpoint ${b.index} does not extend checkpoint ${a.index}: the log was rewritten`,
      };
}
