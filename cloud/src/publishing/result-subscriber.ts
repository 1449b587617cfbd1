import {
  type Presence,
  PresenceSchema,
  type ProgressEvent,
  ProgressEventSchema,
  TOPIC_ROOT,
  topics,
} from '@cardfleet/shared';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Acknowledgement } from '../results/result-messages';
import { concurrencyLimit } from './concurrency-limit';

/**
 * The local stand-in for IoT Core's topic rule: subscribes to every agent's results
 * topic and hands each message to the result use case, which checks the signature
 * against the key the agent enrolled, reassembles numbered parts and ingests
 * (idempotently); then acknowledges it on the agent's acks topic so its outbox can
 * forget it. A result signed by anyone else is dropped unacknowledged.
 */
export async function subscribeResults(
  url: string,
  deps: {
    /** The result use case (cloud/src/results/result-messages.ts): verify, ingest, say what to acknowledge. */
    receiveResult: (agentId: string, payload: string) => Promise<Acknowledgement | undefined>;
    /** Progress of a running job (first event: SENT → IN_PROGRESS). */
    progress?: (agentId: string, event: ProgressEvent) => Promise<void>;
    /** An agent's retained presence (online/offline, reader inventory). */
    presence?: (agentId: string, presence: Presence) => Promise<void>;
    onError?: (error: unknown) => void;
  },
  options: IClientOptions & { /** Agents handled side by side (default 4). */ concurrency?: number } = {},
): Promise<MqttClient & { idle(): Promise<void> }> {
  // Handlers first, then the connection: a persistent session delivers what queued up
  // while we were away right after CONNACK, before an awaited connect would return.
  const { concurrency: _concurrency, ...mqttOptions } = options;
  const client = connect(url, {
    clientId: 'cardfleet-cloud-ingest',
    clean: false,
    reconnectPeriod: 1000,
    ...mqttOptions,
  });
  // Each agent's messages one at a time, in arrival order (a job's progress is applied
  // before its result); different agents' messages side by side, a few at once.
  const lanes = new Map<string, Promise<void>>();
  const limit = concurrencyLimit(options.concurrency ?? 4);
  client.on('message', (topic, payload) => {
    const agentId = topic.split('/')[2] ?? '';
    const lane = (lanes.get(agentId) ?? Promise.resolve())
      .then(() => limit(() => handle(topic, payload)))
      .catch((error) => deps.onError?.(error));
    lanes.set(agentId, lane);
    void lane.then(() => {
      if (lanes.get(agentId) === lane) lanes.delete(agentId);
    });
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
    const ack = await deps.receiveResult(agentId, payload.toString());
    if (!ack) return; // a part; the rest of the message is still on its way
    await client.publishAsync(topics.acks(agentId), JSON.stringify(ack), { qos: 1 });
  }
  // idle(): the messages already received are handled — await it after endAsync() and
  // before closing the store, or a late presence/result would hit a closed database.
  return Object.assign(client, { idle: async () => void (await Promise.all(lanes.values())) });
}
