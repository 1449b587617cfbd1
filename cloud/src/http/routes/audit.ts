import { AuditQuerySchema, CardfleetError } from '@cardfleet/shared';
import type { AuditEntry } from '../../audit/audit-chain';
import type { AuditLog } from '../../audit/audit-log';
import { type App, allow, assertOffice } from '../context';

/** Audit review: filtered listing with a cursor, export as CSV or JSON, chain verification. */
export function auditRoutes(app: App, audit: AuditLog, publicKey: Parameters<AuditLog['verify']>[0]): void {
  const filtered = async (query: Record<string, string>, identity: Parameters<typeof assertOffice>[0]) => {
    const filter = AuditQuerySchema.safeParse(query);
    if (!filter.success)
      throw new CardfleetError(
        'REQUEST_INVALID',
        'filters: office, agentId, cardSerial, from, to, cursor, limit, format',
      );
    const office = identity.role === 'operator' ? identity.office : filter.data.office;
    if (filter.data.office) assertOffice(identity, filter.data.office);
    const f = filter.data;
    const entries = (await audit.entries()).filter(
      (e) =>
        (!office || e.office === office) &&
        (!f.agentId || e.agentId === f.agentId) &&
        (!f.cardSerial || e.cardSerial === f.cardSerial) &&
        (!f.from || e.at >= f.from) &&
        (!f.to || e.at <= f.to),
    );
    return { entries, filter: f };
  };

  app.get('/v1/audit', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'auditor', 'operator');
    const { entries, filter } = await filtered(c.req.query(), identity);
    const page = entries.filter((e) => e.seq > filter.cursor).slice(0, filter.limit);
    const last = page.at(-1);
    return c.json({ items: page, ...(last && page.length === filter.limit ? { nextCursor: last.seq } : {}) });
  });

  app.get('/v1/audit/export', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'auditor');
    const { entries, filter } = await filtered(c.req.query(), identity);
    if (filter.format === 'json') return c.json({ items: entries });
    c.header('content-type', 'text/csv; charset=utf-8');
    return c.body(toCsv(entries));
  });

  app.get('/v1/audit/verify', async (c) => {
    allow(c.get('identity'), 'admin', 'auditor');
    return c.json(await audit.verify(publicKey));
  });
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'office',
  'agentId',
  'cardSerial',
  'encodingId',
  'encodingVersion',
  'encodingSha256',
  'details',
  'prevHash',
  'hash',
] as const;

export function toCsv(entries: readonly AuditEntry[]): string {
  const cell = (value: unknown) => {
    const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = entries.map((e) =>
    [
      e.seq,
      e.at,
      e.actor,
      e.action,
      e.office,
      e.agentId,
      e.cardSerial,
      e.encoding?.id,
      e.encoding?.version,
      e.encoding?.sha256,
      e.details,
      e.prevHash,
      e.hash,
    ]
      .map(cell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
