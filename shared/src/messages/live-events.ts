import type { z } from 'zod';
import { JobDetailSchema } from './api-schemas';
import { BatchViewSchema } from './batch-schemas';

/**
 * What the live routes push (docs/console-live-progress.md), as server-sent events
 * (WHATWG HTML, "Server-sent events"): `GET /v1/jobs/{id}/events` sends `event: job`
 * with a JobEvent (the job as GET /v1/jobs/{id} answers it) on each change of the job;
 * `GET /v1/batches/{id}/events` sends `event: batch` with a BatchEvent (the batch as
 * GET /v1/batches/{id} answers it). Each event's `id` is the change it shows, so a
 * reconnect with `Last-Event-ID` gets only what changed since.
 */
export const JOB_EVENT = 'job';
export const BATCH_EVENT = 'batch';

export const JobEventSchema = JobDetailSchema.meta({
  id: 'JobEvent',
  description: 'the data of an `event: job` server-sent event: the job as GET /v1/jobs/{id} answers it',
});
export type JobEvent = z.infer<typeof JobEventSchema>;

export const BatchEventSchema = BatchViewSchema.meta({
  id: 'BatchEvent',
  description:
    'the data of an `event: batch` server-sent event: the batch as GET /v1/batches/{id} answers it',
});
export type BatchEvent = z.infer<typeof BatchEventSchema>;
