import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import type { Execution } from './execution-id';
import { parseWireJson, type WireVersion, wireVersionOf, withWireVersion } from './wire-version';

/**
 * The cloud's acknowledgement on the agent's acks topic: `{ jobId, attempt }` — this
 * result is stored, the agent's outbox may forget it (docs/messaging.md). The cloud
 * answers in the wire version of the result it acknowledges.
 */
export const AcknowledgementSchema = z.object({
  jobId: z.string().min(1),
  attempt: z.number().int().positive(),
});
export type Acknowledgement = Execution & { v?: WireVersion };

export function buildAcknowledgement(execution: Execution, version: WireVersion): Acknowledgement {
  return withWireVersion({ jobId: execution.jobId, attempt: execution.attempt }, version);
}

/** The execution an acknowledgement names; ACK_UNSUPPORTED_VERSION or ACK_INVALID. */
export function parseAcknowledgement(payload: string): Execution {
  const json = parseWireJson(payload, 'ACK_INVALID', 'acknowledgement');
  wireVersionOf(json, 'ACK_UNSUPPORTED_VERSION', 'acknowledgement');
  const parsed = AcknowledgementSchema.safeParse(json);
  if (!parsed.success)
    throw new CardfleetError('ACK_INVALID', 'the acknowledgement does not match its schema');
  return parsed.data;
}
