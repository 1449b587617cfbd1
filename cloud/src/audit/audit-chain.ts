import { createHash } from 'node:crypto';

/**
 * The audit trail is a hash chain (docs/security.md, invariant 6): entry n carries the hash
 * of entry n-1, sequence numbers are gapless, and each entry's hash covers all of its
 * content. Verification recomputes everything and names the first bad entry; the
 * chain head (last seq + hash) is signed separately, so removing the last entries or
 * recomputing every hash after a change is detected too.
 */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  office: string;
  agentId?: string;
  cardSerial?: string;
  encoding?: { id: string; version: number; sha256: string };
  details?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditContent = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
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

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

export function chainEntry(content: AuditContent, seq: number, prevHash: string): AuditEntry {
  const unsealed = { ...content, seq, prevHash };
  return { ...unsealed, hash: entryHash(unsealed) };
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export type VerifyOutcome = { ok: true; entries: number } | { ok: false; seq: number; reason: string };

/** Checks entries (sorted by seq) against themselves and against the signed head. */
export function verifyChain(entries: readonly AuditEntry[], head: ChainHead | undefined): VerifyOutcome {
  let prev = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq)
      return { ok: false, seq: expectedSeq, reason: `entry ${expectedSeq} is missing (found ${entry.seq})` };
    if (entry.prevHash !== prev)
      return { ok: false, seq: entry.seq, reason: 'does not link to the entry before it' };
    const { hash, ...rest } = entry;
    if (entryHash(rest) !== hash)
      return { ok: false, seq: entry.seq, reason: 'content does not match its hash' };
    prev = hash;
  }
  const last = entries.at(-1);
  if (!head)
    return entries.length === 0
      ? { ok: true, entries: 0 }
      : { ok: false, seq: 1, reason: 'the chain has no signed head' };
  if ((last?.seq ?? 0) !== head.seq || (last?.hash ?? GENESIS_HASH) !== head.hash) {
    return {
      ok: false,
      seq: Math.min((last?.seq ?? 0) + 1, head.seq),
      reason: `the signed head is at ${head.seq}, the chain ends at ${last?.seq ?? 0}`,
    };
  }
  return { ok: true, entries: entries.length };
}
