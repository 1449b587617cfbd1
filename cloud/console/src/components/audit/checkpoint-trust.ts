import type { AuditCheckpoint } from '../../api/audit-search-api';
import { api, query } from '../../api/client';
import { type JwkSet, verifyCheckpoint, verifyExtends } from '../../audit/proof-check';

/**
 * The chain panel's own checks of the newest checkpoint, in this browser
 * (docs/console-audit.md): its signature under the published key, and — against the
 * checkpoint this browser verified last time, kept in localStorage (public data: a signed
 * tree head) — that the log only grew since (RFC 9162 §2.1.4.2 consistency proof). A
 * rewritten or rolled-back log, or a second checkpoint under the same index, is named.
 */
export interface KeptCheckpoint {
  index: number;
  jws: string;
  verifiedAt: string;
}

export type Since =
  | { kind: 'first' }
  | { kind: 'same'; kept: KeptCheckpoint }
  | { kind: 'extends'; kept: KeptCheckpoint }
  | { kind: 'broken'; reason: string };

export type CheckpointTrust =
  | { ok: true; keyId: string; keyThumbprint: string; since: Since }
  | { ok: false; reason: string };

export const KEPT_CHECKPOINT_KEY = 'cardfleet.audit.verifiedCheckpoint';

export interface KeptStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function readKept(store: KeptStore): KeptCheckpoint | undefined {
  try {
    const kept = JSON.parse(store.getItem(KEPT_CHECKPOINT_KEY) ?? 'null') as Partial<KeptCheckpoint> | null;
    return kept && typeof kept.index === 'number' && typeof kept.jws === 'string'
      ? { index: kept.index, jws: kept.jws, verifiedAt: String(kept.verifiedAt ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

async function since(
  jwks: JwkSet,
  latest: AuditCheckpoint,
  kept: KeptCheckpoint | undefined,
): Promise<Since> {
  if (!kept) return { kind: 'first' };
  if (kept.index === latest.index)
    return kept.jws === latest.checkpoint
      ? { kind: 'same', kept }
      : { kind: 'broken', reason: `two different checkpoints carry index ${kept.index}: the log forked` };
  if (kept.index > latest.index)
    return {
      kind: 'broken',
      reason: `the newest checkpoint (#${latest.index}) is older than #${kept.index}, which this browser verified before: the log was rolled back`,
    };
  const answer = await api.get<{ from: string; to: string; proof: string[] }>(
    `/v1/audit/consistency${query({ from: kept.index })}`,
  );
  // The proof must start at the checkpoint kept here and end at the one shown, not at any pair the server picks.
  if (answer.from !== kept.jws)
    return {
      kind: 'broken',
      reason: `the server's checkpoint #${kept.index} is not the one this browser verified`,
    };
  if (answer.to !== latest.checkpoint)
    return { kind: 'broken', reason: 'the consistency proof ends at another checkpoint than the newest' };
  const extension = await verifyExtends(jwks, answer);
  return extension.ok ? { kind: 'extends', kept } : { kind: 'broken', reason: extension.reason };
}

export async function checkLatestCheckpoint(
  latest: AuditCheckpoint,
  store: KeptStore,
  now: () => Date,
): Promise<CheckpointTrust> {
  const jwks = await api.get<JwkSet>('/.well-known/jwks.json');
  const signature = await verifyCheckpoint(jwks, latest.checkpoint);
  if (!signature.ok) return { ok: false, reason: signature.reason };
  const found = await since(jwks, latest, readKept(store));
  // Only a checkpoint that verified and extends what was kept replaces it.
  if (found.kind === 'first' || found.kind === 'extends')
    store.setItem(
      KEPT_CHECKPOINT_KEY,
      JSON.stringify({ index: latest.index, jws: latest.checkpoint, verifiedAt: now().toISOString() }),
    );
  return {
    ok: true,
    keyId: signature.claims.kid,
    keyThumbprint: signature.claims.keyThumbprint,
    since: found,
  };
}
