import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobDetailSchema } from './api-schemas';
import { BatchViewSchema } from './batch-schemas';
import { BATCH_EVENT, BatchEventSchema, JOB_EVENT, JobEventSchema } from './live-events';

/*
 * The live routes' server-sent events (docs/console-live-progress.md): the event names
 * the console listens for, and data shaped as the GET routes answer.
 */
describe('live job and batch events', () => {
  it('are named as the console listens for them', () => {
    expect([JOB_EVENT, BATCH_EVENT]).toEqual(['job', 'batch']);
  });

  it('carry a job as GET /v1/jobs/{id} and a batch as GET /v1/batches/{id} answer them', () => {
    const job = {
      jobId: 'job-1',
      agentId: 'agent-1',
      office: 'berlin',
      encoding: { id: 'e', version: 1, sha256: 'ab' },
      fields: {},
      secretFields: [],
      state: 'QUEUED',
      attempt: 1,
      history: [],
      createdAt: 't',
      createdBy: 'otto',
    };
    expect(JobEventSchema.parse(job)).toEqual(JobDetailSchema.parse(job));
    expect(JobEventSchema.safeParse({ ...job, state: 'DONE' }).success).toBe(false);
    const batch = {
      batchId: 'b-1',
      agentId: 'agent-1',
      office: 'berlin',
      reader: 'r',
      encoding: { id: 'e', version: 1 },
      state: 'RUNNING',
      untilStopped: true,
      stopAfterConsecutiveFailures: 3,
      startedAt: 't',
      startedBy: 'otto',
      done: 0,
      failed: 0,
      running: 0,
      currentCard: 0,
      cardsPerHour: 0,
      cards: [],
    };
    expect(BatchEventSchema.parse(batch)).toEqual(BatchViewSchema.parse(batch));
    expect(BatchEventSchema.safeParse({ ...batch, state: 'OPEN' }).success).toBe(false);
  });

  it('are listed in the API description under their own names', () => {
    expect(z.globalRegistry.get(JobEventSchema)).toMatchObject({ id: 'JobEvent' });
    expect(z.globalRegistry.get(BatchEventSchema)).toMatchObject({ id: 'BatchEvent' });
  });
});
