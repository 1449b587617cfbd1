import type { AuditCardProof } from '../../api/audit-search-api';

/**
 * What the card history shows for each entry once checked in this browser: its inclusion
 * proof (RFC 6962 §2.1.1) leads to the root of the signed checkpoint, whose signature
 * verifies under the published key (/.well-known/jwks.json) — or why not; or the entry is
 * newer than that checkpoint ("pending"): a later checkpoint will cover it.
 */
export interface EntryMark {
  shard: number;
  seq: number;
  status: 'verified' | 'failed' | 'pending';
  reason?: string;
}

export interface HistoryVerdict {
  /** The checkpoint the proofs were checked against (absent: its signature did not verify). */
  checkpoint?: { index: number; size: number; at: string; keyId: string };
  marks: EntryMark[];
  /** A problem with the checkpoint itself (bad signature, unknown key): every entry fails. */
  problem?: string;
}

export type CheckCardHistory = (proof: AuditCardProof) => Promise<HistoryVerdict>;

/** Until the in-browser verifier lands, the check says so instead of pretending. */
export const checkCardHistory: CheckCardHistory = async () => {
  throw new Error('the in-browser proof check is not available in this build');
};
