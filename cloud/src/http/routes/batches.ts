import { BatchViewSchema, StartBatchSchema } from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { Identity } from '../../auth/identity';
import { type BatchDeps, startBatch, stopBatch, viewBatch } from '../../batches/batch-service';
import type { Batch } from '../../batches/batch-store';
import { notFound } from '../api-error';
import { type App, assertOffice } from '../context';
import { conflictAnswer, json, jsonBody, notFoundAnswer, refusals, rejectInvalid, roles } from '../openapi';

/**
 * The batch routes (docs/batches.md), declared like every route (docs/api.md): an
 * operator of the agent's office (or an admin) starts, follows and stops a batch; an
 * auditor reads it. A refused body answers 400 REQUEST_INVALID, a CSV that does not fit
 * the encoding 400 BATCH_CSV_INVALID with its row and column.
 */
const answers = { ...refusals, ...notFoundAnswer, ...conflictAnswer } as const;
const idParams = z.object({ id: z.string().min(1).max(64) });

const start = createRoute({
  method: 'post',
  path: '/v1/batches',
  summary: 'start a batch of cards on one agent and reader (operator, admin)',
  middleware: [roles('admin', 'operator')] as const,
  request: { body: jsonBody(StartBatchSchema) },
  responses: { 201: json(BatchViewSchema, 'the batch, RUNNING'), ...answers },
});
const show = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  summary: 'a batch: done / failed / remaining, cards per hour, current card',
  middleware: [roles('admin', 'operator', 'auditor')] as const,
  request: { params: idParams },
  responses: { 200: json(BatchViewSchema, 'the batch and its cards'), ...answers },
});
const stop = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/stop',
  summary: 'stop a batch: no further card gets a job (operator, admin)',
  middleware: [roles('admin', 'operator')] as const,
  request: { params: idParams },
  responses: { 200: json(BatchViewSchema, 'the batch, STOPPED (or as it had ended)'), ...answers },
});

/** The batch `id` for this caller (the route checked the role): NOT_FOUND, or operators: their office's only. */
export async function batchForCaller(deps: BatchDeps, identity: Identity, id: string): Promise<Batch> {
  const batch = await deps.batches.get(id);
  if (!batch) throw notFound(`batch ${id}`);
  assertOffice(identity, batch.office);
  return batch;
}

export function batchRoutes(app: App, deps: BatchDeps): void {
  const batchOf = (identity: Identity, id: string) => batchForCaller(deps, identity, id);

  const invalid = rejectInvalid('the request does not match the batch schema', { issues: true });
  app.openapi(
    start,
    async (c) => {
      const identity = c.get('identity');
      const batch = await startBatch(deps, c.req.valid('json'), {
        sub: identity.sub,
        office: identity.role === 'operator' ? identity.office : undefined,
      });
      c.get('log').info('batch started', { batchId: batch.batchId, agentId: batch.agentId });
      return c.json(await viewBatch(deps, batch), 201);
    },
    invalid,
  );

  app.openapi(
    show,
    async (c) => {
      const identity = c.get('identity');
      return c.json(await viewBatch(deps, await batchOf(identity, c.req.valid('param').id)), 200);
    },
    invalid,
  );

  app.openapi(
    stop,
    async (c) => {
      const identity = c.get('identity');
      const stopped = await stopBatch(deps, await batchOf(identity, c.req.valid('param').id), identity.sub);
      return c.json(await viewBatch(deps, stopped), 200);
    },
    invalid,
  );
}
