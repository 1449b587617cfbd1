import {
  CardfleetError,
  JobResultSchema,
  type Presence,
  PresenceSchema,
  type ProgressEvent,
  ProgressEventSchema,
  TOPIC_ROOT,
  topics,
} from '@cardfleet/shared';
import { compactVerify, importJWK } from 'jose';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { AgentStore } from '../agents/agent-store';

/**
 * The local stand-in for IoT Core's topic rule: subscribes to every agent's results
 * topic, checks the result's signature against the key the agent enrolled, ingests it
 * (idempotently) and acknowledges it on the agent's acks topic so its outbox can
 * forget it. A result signed by anyone else is dropped unacknowledged.
 */
export async function subscribeResults(
  url: string,
  deps: {
    agents: AgentStore;
    ingest: (result: unknown, signature?: string) => Promise<unknown>;
    /** Progress of a running job (first event: SENT → IN_PROGRESS). */
    progress?: (agentId: string, event: ProgressEvent) => Promise<void>;
    /** An agent's retained presence (online/offline, reader inventory). */
    presence?: (agentId: string, presence: Presence) => Promise<void>;
    onError?: (error: unknown) => void;
  },
  options: IClientOptions = {},
): Promise<MqttClient & { idle(): Promise<void> }> {
  // Handlers first, then the connection: a persistent session delivers what queued up
  // while we were away right after CONNACK, before an awaited connect would return.
  const client = connect(url, {
    clientId: 'cardfleet-cloud-ingest',
    clean: false,
    reconnectPeriod: 1000,
    ...options,
  });
  // One message at a time, in arrival order: a job's progress is applied before its result.
  let queue = Promise.resolve();
  client.on('message', (topic, payload) => {
    queue = queue.then(() => handle(topic, payload)).catch((error) => deps.onError?.(error));
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(
    [`${TOPIC_ROOT}/+/results`, `${TOPIC_ROOT}/+/progress`, `${TOPIC_ROOT}/+/presence`],
    { qos: 1 },
  );

  async function handle(topic: string, payload: Buffer): Promise<void> {
    const agentId = topic.split('/')[2] ?? '';
    if (topic === topics.presence(agentId)) {
      await deps.presence?.(agentId, PresenceSchema.parse(JSON.parse(payload.toString())));
      return;
    }
    if (topic === topics.progress(agentId)) {
      const event = ProgressEventSchema.parse(JSON.parse(payload.toString()));
      await deps.progress?.(agentId, event);
      return;
    }
    const message = JSON.parse(payload.toString()) as { result?: unknown; signature?: string };
    const agent = await deps.agents.get(agentId);
    if (!agent?.publicJwk || !message.signature)
      throw new CardfleetError('RESULT_UNSIGNED', `result from ${agentId} without a known key or signature`);
    const { payload: signed } = await compactVerify(
      message.signature,
      await importJWK({ ...agent.publicJwk, alg: 'ES256' }, 'ES256'),
      { algorithms: ['ES256'] },
    );
    const result = JobResultSchema.parse(JSON.parse(new TextDecoder().decode(signed)));
    if (result.agentId !== agentId)
      throw new CardfleetError(
        'RESULT_WRONG_AGENT',
        `a result for ${result.agentId} arrived on ${agentId}'s topic`,
      );
    await deps.ingest(result, message.signature);
    await client.publishAsync(
      topics.acks(agentId),
      JSON.stringify({ jobId: result.jobId, attempt: result.attempt }),
      { qos: 1 },
    );
  }
  // idle(): the messages already received are handled — await it after endAsync() and
  // before closing the store, or a late presence/result would hit a closed database.
  return Object.assign(client, { idle: () => queue });
}
