import { type AgentTopics, topics as localTopics } from '@cardfleet/shared';
import { type AgentMessageDeps, isAgentMessageKind, receiveAgentMessage } from '../publishing/agent-messages';
import type { Publisher } from '../publishing/publisher';

/** What the agents' topic rule hands the ingestion Lambda (see ingest.ts). */
export interface AgentRuleEvent {
  /** The MQTT payload, base64 (`encode(*, 'base64')`): a signed result or one of its parts, progress, presence. */
  payload: string;
  /**
   * The level after the root (`topic(4)` under `<app>/<stage>/agents`): the agent whose
   * topic it came in on (IoT Core's policy lets only it publish there).
   */
  agentId: string;
  /** The level after that (`topic(5)`): results, progress or presence. */
  kind: string;
}

/** Receives one message from the rule and acknowledges a complete, verified result. */
export async function receiveFromRule(
  event: AgentRuleEvent,
  deps: AgentMessageDeps,
  acks: Pick<Publisher, 'publish'>,
  /** The stage's topic tree (TOPIC_ROOT in AWS). */
  topics: AgentTopics = localTopics,
): Promise<void> {
  if (!isAgentMessageKind(event.kind)) return;
  const payload = Buffer.from(event.payload, 'base64').toString('utf8');
  const ack = await receiveAgentMessage(deps, event.agentId, event.kind, payload);
  if (ack) await acks.publish(topics.acks(event.agentId), new TextEncoder().encode(JSON.stringify(ack)));
}
