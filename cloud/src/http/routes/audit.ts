import {
  AuditCardProofSchema,
  AuditCheckpointSchema,
  AuditConsistencySchema,
  AuditEntryParamsSchema,
  AuditEntryViewSchema,
  AuditFilterQuerySchema,
  AuditPageSchema,
  AuditProveQuerySchema,
  AuditRepairedSchema,
  AuditRepairSchema,
  AuditVerifySchema,
} from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { AUDIT_CSV_COLUMNS, auditCsvRow } from '../../audit/audit-csv';
import type { AuditLog } from '../../audit/audit-log';
import { auditEntries, auditPage } from '../../audit/audit-pages';
import { toStored } from '../../audit/audit-shards';
import { keys } from '../../storage/table-design';
import { notFound } from '../api-error';
import { type App, assertOffice } from '../context';
import { json, jsonBody, notFoundAnswer, refusals, rejectInvalid, roles, tooLargeAnswer } from '../openapi';

/**
 * Audit review (docs/cloud.md, "Auditor"): listing and export paged through the table,
 * verification (whole or from a checkpoint), the newest signed checkpoint, consistency
 * and per-card inclusion proofs, and the admin's checkpoint and repair commands.
 */
const Index = z.coerce.number().int().positive();
const REVIEWERS = ['admin', 'auditor'] as const;
const FILTERS_INVALID = 'filters: office, agentId, cardSerial, from, to, cursor, limit, format';

const list = createRoute({
  method: 'get',
  path: '/v1/audit',
  summary: 'audit entries, a page at a time (operators: their office)',
  middleware: [roles('admin', 'auditor', 'operator')] as const,
  request: { query: AuditFilterQuerySchema },
  responses: { 200: json(AuditPageSchema, 'entries and nextCursor'), ...refusals },
});
const exported = createRoute({
  method: 'get',
  path: '/v1/audit/export',
  summary: 'every entry the filters keep, streamed as CSV (default) or JSON',
  middleware: [roles(...REVIEWERS)] as const,
  request: { query: AuditFilterQuerySchema },
  responses: {
    200: {
      description: 'CSV, or with ?format=json a JSON { items }',
      content: {
        'text/csv': { schema: z.string() },
        'application/json': { schema: AuditPageSchema },
      },
    },
    ...refusals,
  },
});
const verify = createRoute({
  method: 'get',
  path: '/v1/audit/verify',
  summary: 'verify the whole log, or from checkpoint ?from=k on (incremental)',
  middleware: [roles(...REVIEWERS)] as const,
  request: { query: z.object({ from: Index.optional() }) },
  responses: { 200: json(AuditVerifySchema, 'what the verification found'), ...refusals },
});
const latestCheckpoint = createRoute({
  method: 'get',
  path: '/v1/audit/checkpoint',
  summary: 'the newest signed checkpoint (RFC 6962 tree head)',
  middleware: [roles(...REVIEWERS)] as const,
  responses: { 200: json(AuditCheckpointSchema, 'the checkpoint'), ...refusals },
});
const checkpointNow = createRoute({
  method: 'post',
  path: '/v1/audit/checkpoint',
  summary: 'make a checkpoint now (admin)',
  middleware: [roles('admin')] as const,
  responses: { 200: json(AuditCheckpointSchema, 'the checkpoint made'), ...refusals },
});
const consistency = createRoute({
  method: 'get',
  path: '/v1/audit/consistency',
  summary: 'a consistency proof from checkpoint ?from=k to the newest (RFC 6962 §2.1.2)',
  middleware: [roles(...REVIEWERS)] as const,
  request: { query: z.object({ from: Index }) },
  responses: { 200: json(AuditConsistencySchema, 'the proof'), ...refusals },
});
const prove = createRoute({
  method: 'get',
  path: '/v1/audit/prove',
  summary:
    "a card's entries (?card=) with inclusion proofs (RFC 6962 §2.1.1) against the newest checkpoint or ?checkpoint=k",
  middleware: [roles(...REVIEWERS)] as const,
  request: { query: AuditProveQuerySchema },
  responses: { 200: json(AuditCardProofSchema, 'the entries and proofs'), ...refusals, ...notFoundAnswer },
});
const entry = createRoute({
  method: 'get',
  path: '/v1/audit/entries/{shard}/{seq}',
  summary: 'one entry by its position (operators: their office)',
  middleware: [roles('admin', 'auditor', 'operator')] as const,
  request: { params: AuditEntryParamsSchema },
  responses: { 200: json(AuditEntryViewSchema, 'the entry'), ...refusals, ...notFoundAnswer },
});
const repair = createRoute({
  method: 'post',
  path: '/v1/audit/repair',
  summary: 'quarantine a damaged range, or restore checkpoints from the witness (admin)',
  middleware: [roles('admin')] as const,
  request: { body: jsonBody(AuditRepairSchema) },
  responses: { 200: json(AuditRepairedSchema, 'what was repaired'), ...refusals, ...tooLargeAnswer },
});

export function auditRoutes(app: App, audit: AuditLog): void {
  const { table } = audit.context;
  const where = (
    query: z.infer<typeof AuditFilterQuerySchema>,
    identity: Parameters<typeof assertOffice>[0],
  ) => {
    if (query.office) assertOffice(identity, query.office);
    const office = identity.role === 'operator' ? identity.office : query.office;
    const { agentId, cardSerial, from, to } = query;
    return Object.fromEntries(
      Object.entries({ office, agentId, cardSerial, from, to }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
  };

  app.openapi(
    list,
    async (c) => {
      const query = c.req.valid('query');
      const page = await auditPage(
        table,
        audit.shards,
        where(query, c.get('identity')),
        query.limit,
        query.cursor,
      );
      return c.json({ items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) }, 200);
    },
    rejectInvalid(FILTERS_INVALID),
  );

  app.openapi(
    exported,
    async (c) => {
      const query = c.req.valid('query');
      const entries = auditEntries(table, audit.shards, where(query, c.get('identity')));
      const asJson = query.format === 'json';
      // Streamed: the export never holds the whole log (one page of 500 at a time).
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          const text = new TextEncoder();
          controller.enqueue(text.encode(asJson ? '{"items":[' : `${AUDIT_CSV_COLUMNS.join(',')}\n`));
          let first = true;
          for await (const entry of entries) {
            controller.enqueue(
              text.encode(asJson ? `${first ? '' : ','}${JSON.stringify(entry)}` : `${auditCsvRow(entry)}\n`),
            );
            first = false;
          }
          if (asJson) controller.enqueue(text.encode(']}'));
          controller.close();
        },
      });
      c.header('content-type', asJson ? 'application/json' : 'text/csv; charset=utf-8');
      return c.body(body);
    },
    rejectInvalid(FILTERS_INVALID),
  );

  app.openapi(verify, async (c) => {
    const { from } = c.req.valid('query');
    return c.json(await audit.verify(from === undefined ? {} : { from }), 200);
  });

  app.openapi(latestCheckpoint, async (c) => {
    const { jws, body } = await audit.latestCheckpoint();
    return c.json({ index: body.index, size: body.size, root: body.root, at: body.at, checkpoint: jws }, 200);
  });

  app.openapi(checkpointNow, async (c) => {
    const { jws, body } = await audit.checkpoint();
    return c.json({ index: body.index, size: body.size, root: body.root, at: body.at, checkpoint: jws }, 200);
  });

  app.openapi(consistency, async (c) => c.json(await audit.proveConsistency(c.req.valid('query').from), 200));

  app.openapi(prove, async (c) => {
    const { card, checkpoint } = c.req.valid('query');
    return c.json(await audit.proveCard(card, checkpoint), 200);
  });

  app.openapi(entry, async (c) => {
    const { shard, seq } = c.req.valid('param');
    const item = await table.get(keys.auditEntry(shard, seq));
    const found = item ? toStored(item).entry : undefined;
    if (!found) throw notFound(`audit entry ${shard}/${seq}`);
    assertOffice(c.get('identity'), found.office);
    return c.json(found, 200);
  });

  app.openapi(repair, async (c) => {
    const request = c.req.valid('json');
    const repaired = await audit.repair({
      shard: request.shard,
      reason: request.reason,
      by: c.get('identity').sub,
      ...(request.from !== undefined ? { from: request.from } : {}),
      ...(request.to !== undefined ? { to: request.to } : {}),
    });
    return c.json(repaired, 200);
  });
}
