import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import {
  parseWireJson,
  WIRE_VERSION,
  type WireVersion,
  wireVersionOf,
  withWireVersion,
} from './wire-version';

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
 * The message text for the progress topic, in wire format `version`. Not parsed again:
 * the type holds its shape, and informing operators must never fail a job on the card.
 */
export function buildProgressMessage(event: ProgressEvent, version: WireVersion = WIRE_VERSION): string {
  return JSON.stringify(withWireVersion(event, version));
}

/** A progress event of either known version; PROGRESS_UNSUPPORTED_VERSION or PROGRESS_INVALID. */
export function parseProgressMessage(payload: string): ProgressEvent {
  const json = parseWireJson(payload, 'PROGRESS_INVALID', 'progress event');
  wireVersionOf(json, 'PROGRESS_UNSUPPORTED_VERSION', 'progress event');
  const parsed = ProgressEventSchema.safeParse(json);
  if (!parsed.success)
    throw new CardfleetError('PROGRESS_INVALID', 'the progress event does not match its schema', {
      details: { issues: parsed.error.issues },
    });
  return parsed.data;
}
