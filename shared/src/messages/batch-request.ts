import { z } from 'zod';
import type { JobState } from '../jobs/job-lifecycle';
import type { JobResult } from './job-result';
import { unsignedMessageKind } from './wire-version';

/**
 * The agent's "next card" message on its batch topic (`<root>/<agentId>/batch`, QoS 1;
 * docs/batches.md): a card was inserted in the batch's reader; the cloud answers with
 * that card's own signed job (the CSV row of its index), or with a CLOSED batch message.
 * The cloud makes at most one job per (batch, card index), so a message sent again
 * (a QoS 1 redelivery, a restarted agent) makes no second job.
 */
export const BatchRequestSchema = z.object({
  batchId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/),
  /** 1-based: card n of the batch, row n of its CSV. */
  cardIndex: z.number().int().positive(),
  /** The card's ATR as the reader gave it (hex). */
  atr: z
    .string()
    .regex(/^[0-9A-F]{0,66}$/)
    .optional(),
  at: z.string().datetime(),
});
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

export const { build: buildBatchRequest, parse: parseBatchRequest } = unsignedMessageKind(
  BatchRequestSchema,
  { invalid: 'BATCH_REQUEST_INVALID', unsupported: 'BATCH_REQUEST_UNSUPPORTED_VERSION' },
  'batch request',
);

export { batchRequestId, parseBatchRequestId } from './batch-request-id';

/**
 * Whether a card's outcome counts towards the batch's consecutive failures (the agent and
 * the cloud apply the same rule): the card or the encoding failed (FAILED) or the job was
 * refused (REJECTED). An interrupted, cancelled or timed-out card is set aside but is not
 * the encoding's failure, and a success ends the run of failures.
 */
export function countsAsBatchFailure(status: JobResult['status'] | JobState): boolean {
  return status === 'FAILED' || status === 'REJECTED';
}
