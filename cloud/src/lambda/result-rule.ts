import { topics } from '@cardfleet/shared';
import type { Publisher } from '../publishing/publisher';
import type { Acknowledgement } from '../results/result-messages';

/** What the results topic rule hands the ingestion Lambda (see ingest.ts). */
export interface ResultRuleEvent {
  /** The MQTT payload, base64 (`encode(*, 'base64')`): a whole signed result or a part. */
  payload: string;
  /** `topic(3)`: the agent whose results topic it came in on. */
  agentId: string;
}

/** Receives one message from the rule and acknowledges a complete, verified result. */
export async function receiveFromRule(
  event: ResultRuleEvent,
  receive: (agentId: string, payload: string) => Promise<Acknowledgement | undefined>,
  acks: Pick<Publisher, 'publish'>,
): Promise<void> {
  const ack = await receive(event.agentId, Buffer.from(event.payload, 'base64').toString('utf8'));
  if (ack) await acks.publish(topics.acks(event.agentId), new TextEncoder().encode(JSON.stringify(ack)));
}
