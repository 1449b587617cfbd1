import { z } from 'zod';
import { unsignedMessageKind } from './wire-version';

/**
 * A progress event on the agent's progress topic (QoS 0, throttled; docs/messaging.md):
 * APDUs done per application. It informs operators and is not a record; the first one
 * of an attempt moves the job to IN_PROGRESS.
 */
export const ProgressEventSchema = z.object({
  jobId: z.string(),
  attempt: z.number().int().positive(),
  application: z.string(),
  applicationIndex: z.number().int().nonnegative(),
  applicationCount: z.number().int().positive(),
  apdusDone: z.number().int().nonnegative(),
  apdusTotal: z.number().int().nonnegative(),
  at: z.string().datetime(),
});

export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/**
 * buildProgressMessage: the message text for the progress topic, in wire format
 * `version`. Not parsed again: the type holds its shape, and informing operators must
 * never fail a job on the card.
 * parseProgressMessage: a progress event of either known version;
 * PROGRESS_UNSUPPORTED_VERSION or PROGRESS_INVALID.
 */
export const { build: buildProgressMessage, parse: parseProgressMessage } = unsignedMessageKind(
  ProgressEventSchema,
  { invalid: 'PROGRESS_INVALID', unsupported: 'PROGRESS_UNSUPPORTED_VERSION' },
  'progress event',
);
