import { AuditQuerySchema, CardfleetError } from '@cardfleet/shared';
import { z } from 'zod';
import { AUDIT_CSV_COLUMNS, auditCsvRow } from '../../audit/audit-csv';
import type { AuditLog } from '../../audit/audit-log';
import { auditEntries, auditPage } from '../../audit/audit-pages';
import { type App, allow, assertOffice, readJson } from '../context';

/**
 * Audit review (docs/cloud.md, "Auditor"): listing and export paged through the table,
 * verification (whole or from a checkpoint), the newest signed checkpoint, consistency
 * and per-card inclusion proofs, and the admin's checkpoint and repair commands.
 */
const RepairSchema = z.object({
  shard: z.union([z.number().int().nonnegative(), z.literal('LOG')]),
  from: z.number().int().positive().optional(),
  to: z.number().int().positive().optional(),
  reason: z.string().min(1).max(500),
});
const IndexSchema = z.coerce.number().int().positive();
// The cursor is opaque here (audit-pages.ts), where the shared filter has a number.
const AuditFilterSchema = AuditQuerySchema.extend({ cursor: z.string().max(2000).optional() });

export function auditRoutes(app: App, audit: AuditLog): void {
  const filtered = (query: Record<string, string>, identity: Parameters<typeof assertOffice>[0]) => {
    const filter = AuditFilterSchema.safeParse(query);
    if (!filter.success)
      throw new CardfleetError(
        'REQUEST_INVALID',
        'filters: office, agentId, cardSerial, from, to, cursor, limit, format',
      );
    if (filter.data.office) assertOffice(identity, filter.data.office);
    const office = identity.role === 'operator' ? identity.office : filter.data.office;
    const { agentId, cardSerial, from, to } = filter.data;
    const where = Object.fromEntries(
      Object.entries({ office, agentId, cardSerial, from, to }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    return { where, query: filter.data };
  };
  const { table } = audit.context;

  app.get('/v1/audit', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'auditor', 'operator');
    const { where, query } = filtered(c.req.query(), identity);
    const page = await auditPage(table, audit.shards, where, query.limit, query.cursor);
    return c.json({ items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  });

  app.get('/v1/audit/export', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'auditor');
    const { where, query } = filtered(c.req.query(), identity);
    const entries = auditEntries(table, audit.shards, where);
    const json = query.format === 'json';
    // Streamed: the export never holds the whole log (one page of 500 at a time).
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        const text = new TextEncoder();
        controller.enqueue(text.encode(json ? '{"items":[' : `${AUDIT_CSV_COLUMNS.join(',')}\n`));
        let first = true;
        for await (const entry of entries) {
          controller.enqueue(
            text.encode(json ? `${first ? '' : ','}${JSON.stringify(entry)}` : `${auditCsvRow(entry)}\n`),
          );
          first = false;
        }
        if (json) controller.enqueue(text.encode(']}'));
        controller.close();
      },
    });
    c.header('content-type', json ? 'application/json' : 'text/csv; charset=utf-8');
    return c.body(body);
  });

  app.get('/v1/audit/verify', async (c) => {
    allow(c.get('identity'), 'admin', 'auditor');
    const from = c.req.query('from');
    return c.json(await audit.verify(from === undefined ? {} : { from: parsed(IndexSchema, from) }));
  });

  app.get('/v1/audit/checkpoint', async (c) => {
    allow(c.get('identity'), 'admin', 'auditor');
    const { jws, body } = await audit.latestCheckpoint();
    return c.json({ index: body.index, size: body.size, root: body.root, at: body.at, checkpoint: jws });
  });

  app.post('/v1/audit/checkpoint', async (c) => {
    allow(c.get('identity'), 'admin');
    const { jws, body } = await audit.checkpoint();
    return c.json({ index: body.index, size: body.size, root: body.root, at: body.at, checkpoint: jws });
  });

  app.get('/v1/audit/consistency', async (c) => {
    allow(c.get('identity'), 'admin', 'auditor');
    return c.json(await audit.proveConsistency(parsed(IndexSchema, c.req.query('from'))));
  });

  app.get('/v1/audit/prove', async (c) => {
    allow(c.get('identity'), 'admin', 'auditor');
    return c.json(await audit.proveCard(parsed(z.string().min(1).max(200), c.req.query('card'))));
  });

  app.post('/v1/audit/repair', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin');
    const request = parsed(RepairSchema, await readJson(c.req.raw));
    return c.json(
      await audit.repair({
        shard: request.shard,
        reason: request.reason,
        by: identity.sub,
        ...(request.from !== undefined ? { from: request.from } : {}),
        ...(request.to !== undefined ? { to: request.to } : {}),
      }),
    );
  });
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new CardfleetError('REQUEST_INVALID', result.error.issues[0]?.message ?? 'invalid');
  return result.data;
}
