import { indexKeys, keys } from '../storage/table-design';
import { encodeCursor, type Item, type Table } from '../storage/table-port';
import type { AuditEntry } from './audit-entry';
import { entryCard } from './audit-entry';

/**
 * The shards of the log in the table: shard s is the partition AUDIT#<s>, entry n of it
 * the item SEQ#<n> (table-design.ts). Appends to different shards never meet, so the
 * write path gains from concurrency; within a shard a sequence number is taken by a
 * conditional put, as before.
 */
export interface StoredEntry {
  /** Where the item sits (its key), which tampering may make differ from what it says. */
  shard: number;
  seq: number;
  /** The entry it holds, or undefined when that is not readable JSON. */
  entry: AuditEntry | undefined;
}

export function toStored(item: Item): StoredEntry {
  const shard = Number(String(item.PK).slice('AUDIT#'.length));
  const seq = Number(String(item.SK).slice(keys.auditEntryPrefix.length));
  let entry: AuditEntry | undefined;
  try {
    entry = JSON.parse(String(item.entry)) as AuditEntry;
  } catch {
    entry = undefined;
  }
  return { shard, seq, entry };
}

export function entryItem(entry: AuditEntry): Item {
  return {
    ...keys.auditEntry(entry.shard, entry.seq),
    ...indexKeys.auditOfOfficeEntry(entry.office, entry.at, entry.shard, entry.seq),
    entry: JSON.stringify(entry),
  };
}

/** The card pointer of an entry that names a card (the per-card index, GSI1). */
export function cardPointerItem(entry: AuditEntry): Item | undefined {
  const serial = entryCard(entry);
  if (!serial) return undefined;
  return {
    ...keys.auditCardPointer(entry.shard, entry.seq),
    ...indexKeys.auditOfCardEntry(serial, entry.at, entry.shard, entry.seq),
    shard: entry.shard,
    seq: entry.seq,
  };
}

/** The last entry of a shard (one descending query of one item), or undefined. */
export async function shardTail(table: Table, shard: number): Promise<StoredEntry | undefined> {
  const page = await table.queryPage(keys.auditShard(shard), {
    beginsWith: keys.auditEntryPrefix,
    limit: 1,
    descending: true,
  });
  return page.items[0] ? toStored(page.items[0]) : undefined;
}

/** The entries of a shard after sequence number `after`, in order, paged through the table. */
export async function* shardEntriesAfter(
  table: Table,
  shard: number,
  after: number,
): AsyncGenerator<StoredEntry> {
  let cursor: string | undefined = after > 0 ? encodeCursor(keys.auditEntry(shard, after)) : undefined;
  do {
    const page = await table.queryPage(keys.auditShard(shard), {
      beginsWith: keys.auditEntryPrefix,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    for (const item of page.items) yield toStored(item);
    cursor = page.cursor;
  } while (cursor);
}
