import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { leafHash } from './merkle';

/**
 * One audit entry (docs/security.md, invariant 6; docs/cloud.md, "Auditor"). Entries live
 * in shards: each shard is a hash chain with gapless sequence numbers (`prevHash` links an
 * entry to the one before it in its shard), and each entry carries a MAC under the audit
 * data key, so a table writer without the key can neither change an entry nor write a new
 * one, whatever hashes they recompute. The signed checkpoints (audit-checkpoints.ts) put
 * the entries in one RFC 6962 Merkle tree.
 */
export interface AuditEntry {
  shard: number;
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
  /** HMAC-SHA256 over the rest under the audit data key (never leaves the cloud). */
  mac: string;
}

export type AuditContent = Omit<AuditEntry, 'shard' | 'seq' | 'prevHash' | 'hash' | 'mac'>;
/** An entry as auditors see it: without the MAC, which only the cloud can check. */
export type PublicEntry = Omit<AuditEntry, 'mac'>;

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: keys sorted at every level, so a hash does not depend on key order. */
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

export function entryHash(entry: Omit<AuditEntry, 'hash' | 'mac'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

function entryMac(macKey: Uint8Array, entry: Omit<AuditEntry, 'mac'>): string {
  return createHmac('sha256', macKey).update(canonicalJson(entry)).digest('hex');
}

/** The entry at `seq` of `shard`, linked to `prevHash`, hashed and authenticated. */
export function sealEntry(
  macKey: Uint8Array,
  content: AuditContent,
  shard: number,
  seq: number,
  prevHash: string,
): AuditEntry {
  const unsealed = { ...content, shard, seq, prevHash };
  const hashed = { ...unsealed, hash: entryHash(unsealed) };
  return { ...hashed, mac: entryMac(macKey, hashed) };
}

/** The Merkle leaf of an entry: its public form, in canonical JSON (RFC 6962 §2.1 leaf hash). */
export function entryLeaf(entry: PublicEntry | AuditEntry): Buffer {
  const { mac: _mac, ...rest } = entry as AuditEntry;
  return leafHash(canonicalJson(rest));
}

export function publicEntry(entry: AuditEntry): PublicEntry {
  const { mac: _mac, ...rest } = entry;
  return rest;
}

/**
 * Why an entry read from the table is not the one the cloud wrote at this position, or
 * undefined when it is: the key it sits under, its own hash, its MAC.
 */
export function entryProblem(
  macKey: Uint8Array,
  entry: AuditEntry,
  shard: number,
  seq: number,
): string | undefined {
  if (entry.shard !== shard || entry.seq !== seq)
    return `the entry at ${shard}/${seq} says it is ${entry.shard}/${entry.seq} (moved or swapped)`;
  const { hash, mac, ...rest } = entry;
  if (entryHash(rest) !== hash) return 'content does not match its hash';
  const expected = Buffer.from(entryMac(macKey, { ...rest, hash }), 'hex');
  const given = Buffer.from(String(mac ?? ''), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'the MAC does not verify: the cloud did not write this entry';
  return undefined;
}

/** The card an entry names: `cardSerial`, or `details.cardSerial` on a job result. */
export function entryCard(entry: Pick<AuditEntry, 'cardSerial' | 'details'>): string | undefined {
  const fromDetails = entry.details?.cardSerial;
  return entry.cardSerial ?? (typeof fromDetails === 'string' ? fromDetails : undefined);
}
