import { z } from 'zod';
import { unsignedMessageKind } from './wire-version';

/**
 * What the agent is doing on the card: sending an application's APDUs, or waiting for a
 * person to type PINs at the station (docs/messaging.md, "Progress").
 */
export const PROGRESS_PHASES = ['running', 'waiting-for-pin'] as const;
export type ProgressPhase = (typeof PROGRESS_PHASES)[number];

/**
 * A progress event on the agent's progress topic (QoS 0, throttled; docs/messaging.md):
 * APDUs done per application, and whether the job waits for PINs. It informs operators
 * and is not a record; the first one of an attempt moves the job to IN_PROGRESS. Only
 * names and counts: never a PIN, a field value or APDU data.
 * `phase` and `seq` are optional, so events of agents from before them still parse
 * (no phase: running; no seq: ordered by `at`).
 */
export const ProgressEventSchema = z.object({
  jobId: z.string(),
  attempt: z.number().int().positive(),
  application: z.string(),
  applicationIndex: z.number().int().nonnegative(),
  applicationCount: z.number().int().positive(),
  apdusDone: z.number().int().nonnegative(),
  apdusTotal: z.number().int().nonnegative(),
  phase: z.enum(PROGRESS_PHASES).optional(),
  /** The event's number within its attempt (1, 2, …): a later event has a higher one. */
  seq: z.number().int().positive().optional(),
  at: z.string().datetime(),
});

export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/**
 * The latest progress the cloud keeps on an open job and serves with it (GET
 * /v1/jobs/:id `progress`): the event's counts and phase, the agent's time (`at`) and
 * when the cloud took it in (`receivedAt`). Overwritten by each newer event.
 */
export const JobProgressSchema = ProgressEventSchema.omit({ jobId: true }).extend({
  phase: z.enum(PROGRESS_PHASES),
  receivedAt: z.string().datetime(),
});

export type JobProgress = z.infer<typeof JobProgressSchema>;

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
