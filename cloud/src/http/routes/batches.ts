import { BatchViewSchema, CardfleetError, ErrorBodySchema, StartBatchSchema } from '@cardfleet/shared';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Identity } from '../../auth/identity';
import { type BatchDeps, startBatch, stopBatch, viewBatch } from '../../batches/batch-service';
import type { Batch } from '../../batches/batch-store';
import { notFound } from '../api-error';
import { allow, assertOffice, type Env, readJson } from '../context';

/**
 * The batch routes (docs/batches.md), described by their schemas (@hono/zod-openapi):
 * an operator of the agent's office (or an admin) starts, follows and stops a batch;
 * an auditor reads it. A refused body answers 400 REQUEST_INVALID, a CSV that does not fit
 * the encoding 400 BATCH_CSV_INVALID with its row and column.
 */
const errors = Object.fromEntries(
  [
    [400, 'invalid body or CSV (details: row, column)'],
    [401, 'missing or invalid bearer token'],
    [403, 'the role or office may not do this'],
    [404, 'no such batch, agent or encoding'],
    [409, 'the agent gets no jobs'],
  ].map(([status, description]) => [
    status,
    { description: String(description), content: { 'application/json': { schema: ErrorBodySchema } } },
  ]),
);
const view = (description: string) => ({
  description,
  content: { 'application/json': { schema: BatchViewSchema } },
});
const idParams = z.object({ id: z.string().min(1).max(64) });

const start = createRoute({
  method: 'post',
  path: '/v1/batches',
  summary: 'start a batch of cards on one agent and reader (operator, admin)',
  request: { body: { required: true, content: { 'application/json': { schema: StartBatchSchema } } } },
  responses: { 201: view('the batch, RUNNING'), ...errors },
});
const show = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  summary: 'a batch: done / failed / remaining, cards per hour, current card',
  request: { params: idParams },
  responses: { 200: view('the batch and its cards'), ...errors },
});
const stop = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/stop',
  summary: 'stop a batch: no further card gets a job (operator, admin)',
  request: { params: idParams },
  responses: { 200: view('the batch, STOPPED (or as it had ended)'), ...errors },
});

export function batchRoutes(deps: BatchDeps): OpenAPIHono<Env> {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success)
        throw new CardfleetError('REQUEST_INVALID', 'the request does not match the batch schema', {
          details: { issues: result.error.issues },
        });
    },
  });
  // A body that is not JSON is the client's fault (400), not the validator's exception:
  // read it once here (Hono keeps the parsed body for the validator).
  app.use('/v1/batches', async (c, next) => {
    if (c.req.method === 'POST') await readJson(c.req.raw.clone());
    await next();
  });
  const batchOf = async (identity: Identity, id: string): Promise<Batch> => {
    const batch = await deps.batches.get(id);
    if (!batch) throw notFound(`batch ${id}`);
    assertOffice(identity, batch.office);
    return batch;
  };

  app.openapi(start, async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator');
    const batch = await startBatch(deps, c.req.valid('json'), {
      sub: identity.sub,
      office: identity.role === 'operator' ? identity.office : undefined,
    });
    c.get('log').info('batch started', { batchId: batch.batchId, agentId: batch.agentId });
    return c.json(await viewBatch(deps, batch), 201);
  });

  app.openapi(show, async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator', 'auditor');
    return c.json(await viewBatch(deps, await batchOf(identity, c.req.valid('param').id)), 200);
  });

  app.openapi(stop, async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator');
    const stopped = await stopBatch(deps, await batchOf(identity, c.req.valid('param').id), identity.sub);
    return c.json(await viewBatch(deps, stopped), 200);
  });
  return app;
}
