import { z } from 'zod';
import { JOB_STATES } from '../jobs/job-lifecycle';
import { MAX_BATCH_ROWS } from './batch-csv';
import { BATCH_STATES } from './batch-message';

/**
 * The batch API's bodies and answers (`/v1/batches`; docs/batches.md), shared by the
 * routes (which validate with them and describe themselves with them) and the CLI.
 */
export const StartBatchSchema = z
  .object({
    agentId: z.string().min(1).max(64),
    reader: z.string().min(1).max(256),
    encodingId: z.string().min(1).max(64),
    /** Default: the encoding's latest version, fixed for the whole batch at start. */
    version: z.number().int().positive().optional(),
    /** How many cards; or `untilStopped: true`. */
    count: z.number().int().positive().max(MAX_BATCH_ROWS).optional(),
    untilStopped: z.boolean().optional(),
    /** Header of field names, then one row per card (batch-csv.ts). */
    csv: z.string().max(200_000),
    stopAfterConsecutiveFailures: z.number().int().positive().max(1000).default(3),
  })
  .refine((b) => (b.count === undefined) === (b.untilStopped === true), {
    message: 'give either count or untilStopped: true',
    path: ['count'],
  });
export type StartBatch = z.infer<typeof StartBatchSchema>;

export const BatchCardViewSchema = z.object({
  index: z.number().int().positive(),
  jobId: z.string(),
  state: z.enum(JOB_STATES),
  atr: z.string().optional(),
  serial: z.string().optional(),
});

export const BatchViewSchema = z.object({
  batchId: z.string(),
  agentId: z.string(),
  office: z.string(),
  reader: z.string(),
  encoding: z.object({ id: z.string(), version: z.number().int() }),
  state: z.enum(BATCH_STATES),
  /** Why it is not running (a person's stop, K failures in a row, a refused job). */
  reason: z.string().optional(),
  count: z.number().int().optional(),
  untilStopped: z.boolean(),
  stopAfterConsecutiveFailures: z.number().int(),
  startedAt: z.string(),
  startedBy: z.string(),
  endedAt: z.string().optional(),
  done: z.number().int(),
  failed: z.number().int(),
  /** Cards asked for whose job has not ended yet (0 or 1 on one reader). */
  running: z.number().int(),
  /** Cards still to do (absent: until stopped). */
  remaining: z.number().int().optional(),
  /** The card being personalised, or the last one asked for (0: none yet). */
  currentCard: z.number().int(),
  cardsPerHour: z.number(),
  cards: z.array(BatchCardViewSchema),
});
export type BatchView = z.infer<typeof BatchViewSchema>;
