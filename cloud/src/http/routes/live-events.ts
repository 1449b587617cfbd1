import { createHash } from 'node:crypto';
import { BATCH_EVENT, BatchEventSchema, isOpen, JOB_EVENT, JobEventSchema } from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { type BatchDeps, viewBatch } from '../../batches/batch-service';
import type { JobChanges, VersionedJob } from '../../jobs/job-changes';
import type { JobStore } from '../../jobs/job-store';
import { notFound } from '../api-error';
import type { App } from '../context';
import { type LiveOptions, type LiveSource, liveResponse } from '../live-stream';
import { notFoundAnswer, refusals, roles } from '../openapi';
import { batchForCaller } from './batches';
import { jobDetail, jobForCaller, type ResultReader } from './jobs';

/**
 * The live routes (docs/console-live-progress.md): a job's and a batch's changes pushed
 * as server-sent events, for the console. Who may follow what is exactly GET's rule —
 * the same roles, and the same office check (jobForCaller, batchForCaller) — and an
 * event's data is exactly what GET answers.
 */
export interface LiveDeps {
  changes: JobChanges;
  /** The job with its item's version, the `id:` of its events (jobs/job-changes.ts). */
  readJob: (jobId: string) => Promise<VersionedJob | undefined>;
  options: LiveOptions;
}

const stream = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'text/event-stream': { schema } },
  description,
});
const ended = {
  204: { description: 'it had ended, and the client had its last event (Last-Event-ID): stop' },
};
const lastEventId = z.object({
  'last-event-id': z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'the `id` of the last event received' }),
});

const jobEvents = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/events',
  summary: "a job's changes as server-sent events, until it ends (state, attempt, progress, result, cancel)",
  description:
    '`text/event-stream`: `retry:` first, then `event: job` with the job (JobEvent, as GET /v1/jobs/{id}) at once and after each change; `id:` is the change, so a reconnect with `Last-Event-ID` gets only later ones. `: keep-alive` comments every 15 s. Ends after the event of an end state.',
  middleware: [roles('admin', 'operator', 'auditor')] as const,
  request: { params: z.object({ id: z.string() }), headers: lastEventId },
  responses: {
    200: stream(JobEventSchema, 'the job, then its changes'),
    ...ended,
    ...refusals,
    ...notFoundAnswer,
  },
});

const batchEvents = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/events',
  summary: "a batch's view (done / failed / remaining, each card's state) on each change, until it ends",
  description:
    "`text/event-stream`: `event: batch` with the batch (BatchEvent, as GET /v1/batches/{id}) at once and after each change of the batch or of a card's job; `id:` identifies the view, so a reconnect with `Last-Event-ID` is not sent it again. Ends once the batch is no longer RUNNING.",
  middleware: [roles('admin', 'operator', 'auditor')] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }), headers: lastEventId },
  responses: {
    200: stream(BatchEventSchema, 'the batch, then its changes'),
    ...ended,
    ...refusals,
    ...notFoundAnswer,
  },
});

export function liveRoutes(
  app: App,
  deps: { jobs: JobStore; results: ResultReader; batches?: BatchDeps; live: LiveDeps },
): void {
  const { live } = deps;
  app.openapi(jobEvents, async (c) => {
    const job = await jobForCaller(deps.jobs, c.get('identity'), c.req.valid('param').id);
    const source: LiveSource = {
      event: JOB_EVENT,
      watch: (listener) => live.changes.watch(job.jobId, listener),
      read: async () => {
        const current = await live.readJob(job.jobId);
        if (!current) throw notFound(`job ${job.jobId}`);
        return {
          id: String(current.version),
          data: await jobDetail(current.job, deps.results),
          ended: !isOpen(current.job.state),
        };
      },
    };
    return liveResponse(c, source, live.options);
  });

  const batchDeps = deps.batches;
  if (!batchDeps) return;
  app.openapi(batchEvents, async (c) => {
    const batch = await batchForCaller(batchDeps, c.get('identity'), c.req.valid('param').id);
    return liveResponse(c, batchSource(batchDeps, live.changes, batch.batchId), live.options);
  });
}

/**
 * A batch changes when its item or its cards do (the batch partition) and when a card's
 * job does: the watch follows each card's job as the card appears. The `id:` is a digest
 * of the view without its rate, which moves with the clock alone.
 */
function batchSource(deps: BatchDeps, changes: JobChanges, batchId: string): LiveSource {
  const cardWatches = new Map<string, () => void>();
  let listener: (() => void) | undefined;
  return {
    event: BATCH_EVENT,
    watch: (told) => {
      listener = told;
      const batchWatch = changes.watchBatch(batchId, told);
      return () => {
        batchWatch();
        for (const unwatch of cardWatches.values()) unwatch();
        cardWatches.clear();
        listener = undefined;
      };
    },
    read: async () => {
      const batch = await deps.batches.get(batchId);
      if (!batch) throw notFound(`batch ${batchId}`);
      const view = await viewBatch(deps, batch);
      let added = false;
      for (const card of view.cards)
        if (listener && !cardWatches.has(card.jobId)) {
          cardWatches.set(card.jobId, changes.watch(card.jobId, listener));
          added = true;
        }
      // A card's job written between this read and its watch would go unseen: read once more.
      if (added) listener?.();
      const { cardsPerHour: _rate, ...changing } = view;
      const id = createHash('sha256').update(JSON.stringify(changing)).digest('base64url').slice(0, 22);
      return { id, data: view, ended: view.state !== 'RUNNING' };
    },
  };
}
