import { CardfleetError } from '@cardfleet/shared';
import { indexKeys, keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';
import { type AuditEntry, entryCard } from './audit-entry';
import { toStored } from './audit-shards';

/**
 * Pages of the audit trail for review and export (docs/cloud.md, "Auditor"): one DynamoDB
 * query per page (`Limit` and a cursor from `LastEvaluatedKey`), never the whole log.
 * By card: the card's pointers in GSI1; by office: the office's entries in GSI1; else the
 * shards one after another. Other filters apply to each page, so a page may hold fewer
 * than `limit` entries; `cursor` is absent only when the listing is done.
 */
export interface AuditFilter {
  office?: string;
  agentId?: string;
  cardSerial?: string;
  from?: string;
  to?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  cursor?: string;
}

type Position = { s?: number; c?: string };

export async function auditPage(
  table: Table,
  shards: number,
  filter: AuditFilter,
  limit: number,
  cursor?: string,
): Promise<AuditPage> {
  // A page is filled from several queries when filters thin it out or a shard ends, but
  // never from more than one query per shard and a few more: each reads at most `limit` items.
  const items: AuditEntry[] = [];
  let at: string | undefined = cursor;
  for (let round = 0; round < shards + 8 && items.length < limit; round++) {
    const page = await onePage(table, shards, filter, limit - items.length, at);
    items.push(...page.items);
    at = page.cursor;
    if (!at) break;
  }
  return { items, ...(at ? { cursor: at } : {}) };
}

/** One query's worth of auditPage: the same question, answered from at most one Query. */
const onePage: typeof auditPage = async (table, shards, filter, limit, cursor) => {
  const at = decode(cursor);
  const keep = (e: AuditEntry) =>
    (!filter.office || e.office === filter.office) &&
    (!filter.agentId || e.agentId === filter.agentId) &&
    (!filter.cardSerial || entryCard(e) === filter.cardSerial) &&
    (!filter.from || e.at >= filter.from) &&
    (!filter.to || e.at <= filter.to);
  const paging = { limit, ...(at.c ? { cursor: at.c } : {}) };
  if (filter.cardSerial || filter.office) {
    const page = filter.cardSerial
      ? await table.queryPage(indexKeys.auditOfCard(filter.cardSerial), { index: 'GSI1', ...paging })
      : await table.queryPage(indexKeys.auditOfOffice(filter.office ?? ''), { index: 'GSI1', ...paging });
    const entries = filter.cardSerial
      ? await Promise.all(page.items.map((p) => table.get(keys.auditEntry(Number(p.shard), Number(p.seq)))))
      : page.items;
    const items = entries
      .flatMap((item) => (item ? [toStored(item).entry] : []))
      .filter((e) => e !== undefined);
    return { items: items.filter(keep), ...(page.cursor ? { cursor: encode({ c: page.cursor }) } : {}) };
  }
  const shard = at.s ?? 0;
  if (shard >= shards) return { items: [] };
  const page = await table.queryPage(keys.auditShard(shard), {
    beginsWith: keys.auditEntryPrefix,
    ...paging,
  });
  const items = page.items.flatMap((item) => toStored(item).entry ?? []).filter(keep);
  const next: Position | undefined = page.cursor
    ? { s: shard, c: page.cursor }
    : shard + 1 < shards
      ? { s: shard + 1 }
      : undefined;
  return { items, ...(next ? { cursor: encode(next) } : {}) };
};

/** Every entry the filter keeps, page after page (the export streams it). */
export async function* auditEntries(
  table: Table,
  shards: number,
  filter: AuditFilter,
): AsyncGenerator<AuditEntry> {
  let cursor: string | undefined;
  do {
    const page = await auditPage(table, shards, filter, 500, cursor);
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

const encode = (position: Position) => Buffer.from(JSON.stringify(position)).toString('base64url');

function decode(cursor: string | undefined): Position {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (typeof parsed === 'object' && parsed && (parsed.s === undefined || Number.isInteger(parsed.s)))
      return parsed;
  } catch {}
  throw new CardfleetError('REQUEST_INVALID', 'the cursor is not one this API handed out');
}
