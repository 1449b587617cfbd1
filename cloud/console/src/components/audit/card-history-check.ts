import { type AuditEntryView, latestCheckpoint, searchAudit } from '../../api/audit-search-api';
import { api, query } from '../../api/client';
import { type CardProofs, type EntryCheck, type JwkSet, verifyCardHistory } from '../../audit/proof-check';

/**
 * A card's history checked in this browser (docs/console-audit.md): the newest checkpoint
 * is read first and the proofs asked against that index, so a checkpoint made in between
 * cannot pull them apart; the card's entries are searched before the proofs are asked, so
 * each is either proven by that checkpoint or listed as pending — none can slip between.
 * The checking itself is audit/proof-check.ts: the checkpoint's signature under the key
 * published at /.well-known/jwks.json, each entry's hash and leaf recomputed here and
 * walked up its inclusion proof (RFC 9162 §2.1.3.2) to the signed root.
 */
export interface HistoryVerdict {
  /** The checkpoint the proofs were checked against, when its signature and claims hold. */
  checkpoint?: { index: number; size: number; at: string; keyId: string; keyThumbprint: string };
  /** A problem with the checkpoint itself: every entry it should prove fails with it. */
  problem?: string;
  entries: { entry?: AuditEntryView; mark: EntryCheck }[];
}

/** Every entry the search finds for the card (a card's history is short: a few pages at most). */
async function cardEntries(cardSerial: string): Promise<AuditEntryView[]> {
  const entries: AuditEntryView[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchAudit({ cardSerial }, cursor);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && entries.length < 5000);
  return entries;
}

export async function checkCardHistory(cardSerial: string): Promise<HistoryVerdict> {
  const [jwks, pinned] = await Promise.all([api.get<JwkSet>('/.well-known/jwks.json'), latestCheckpoint()]);
  const shown = await cardEntries(cardSerial);
  const proofs = await api.get<CardProofs>(
    `/v1/audit/prove${query({ card: cardSerial, checkpoint: pinned.index })}`,
  );
  const check = await verifyCardHistory({ jwks, proofs, shown });
  const byPosition = new Map<string, AuditEntryView>();
  for (const entry of shown) byPosition.set(`${entry.shard}/${entry.seq}`, entry);
  for (const { entry } of proofs.entries)
    if (!byPosition.has(`${entry.shard}/${entry.seq}`))
      byPosition.set(`${entry.shard}/${entry.seq}`, entry as AuditEntryView);
  const entries = check.entries
    .map((mark) => {
      const entry = byPosition.get(`${mark.shard}/${mark.seq}`);
      return entry ? { entry, mark } : { mark };
    })
    .sort((a, b) => (a.entry?.at ?? '').localeCompare(b.entry?.at ?? ''));
  if (!check.checkpoint.ok) return { problem: check.checkpoint.reason, entries };
  const { index, size, at, kid, keyThumbprint } = check.checkpoint.claims;
  return { checkpoint: { index, size, at, keyId: kid, keyThumbprint }, entries };
}
