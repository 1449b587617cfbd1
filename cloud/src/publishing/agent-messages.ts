import {
  type Acknowledgement,
  type BatchRequest,
  type Presence,
  type ProgressEvent,
  parseBatchRequest,
  parsePresenceMessage,
  parseProgressMessage,
} from '@cardfleet/shared';

/**
 * What agents send, by the last level of their topic (shared/src/messages/topics.ts):
 * results (verified, ingested, to be acknowledged), progress (the first event of an
 * attempt moves the job to IN_PROGRESS), presence (retained status with the reader
 * inventory) and batch requests (a card's job, please). One entry point for the local MQTT subscriber and the AWS IoT rule Lambda.
 * Each message is parsed by its own module in shared/src/messages/, which takes the
 * current and the previous wire version (docs/messaging.md, "Versions").
 */
export const AGENT_MESSAGE_KINDS = ['results', 'progress', 'presence', 'batch'] as const;
export type AgentMessageKind = (typeof AGENT_MESSAGE_KINDS)[number];

export interface AgentMessageDeps {
  /** The result use case (cloud/src/results/result-messages.ts): verify, ingest, say what to acknowledge. */
  receiveResult: (agentId: string, payload: string) => Promise<Acknowledgement | undefined>;
  /** Progress of a running job (first event: SENT → IN_PROGRESS). */
  progress?: (agentId: string, event: ProgressEvent) => Promise<void>;
  /** An agent's retained presence (online/offline, reader inventory; its `v` is the agent's wire version). */
  presence?: (agentId: string, presence: Presence) => Promise<void>;
  /** A card is in an open batch's reader: its job (docs/batches.md; cloud/src/batches/batch-service.ts). */
  batch?: (agentId: string, request: BatchRequest) => Promise<unknown>;
}

/** Handles one message; returns the acknowledgement to publish for a complete result. */
export async function receiveAgentMessage(
  deps: AgentMessageDeps,
  agentId: string,
  kind: AgentMessageKind,
  payload: string,
): Promise<Acknowledgement | undefined> {
  if (kind === 'presence') {
    await deps.presence?.(agentId, parsePresenceMessage(payload));
    return undefined;
  }
  if (kind === 'batch') {
    await deps.batch?.(agentId, parseBatchRequest(payload));
    return undefined;
  }
  if (kind === 'progress') {
    await deps.progress?.(agentId, parseProgressMessage(payload));
    return undefined;
  }
  return deps.receiveResult(agentId, payload);
}

export function isAgentMessageKind(kind: string): kind is AgentMessageKind {
  return (AGENT_MESSAGE_KINDS as readonly string[]).includes(kind);
}
