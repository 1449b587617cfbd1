import { type AgentTopics, topics as localTopics } from '@cardfleet/shared';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import {
  AGENT_MESSAGE_KINDS,
  type AgentMessageDeps,
  isAgentMessageKind,
  receiveAgentMessage,
} from './agent-messages';
import { concurrencyLimit } from './concurrency-limit';

/**
 * The local stand-in for IoT Core's topic rule: subscribes to what every agent sends
 * (results, progress, presence) and hands it to agent-messages.ts. A result is checked
 * against the key the agent enrolled, reassembled from numbered parts and ingested
 * (idempotently), then acknowledged on the agent's acks topic so its outbox can forget
 * it. A result signed by anyone else is dropped unacknowledged.
 */
export async function subscribeResults(
  url: string,
  deps: AgentMessageDeps & { onError?: (error: unknown) => void },
  options: IClientOptions & {
    /** Agents handled side by side (default 4). */
    concurrency?: number;
    /** The topic tree (default: the local one). */
    topics?: AgentTopics;
  } = {},
): Promise<MqttClient & { idle(): Promise<void> }> {
  // Handlers first, then the connection: a persistent session delivers what queued up
  // while we were away right after CONNACK, before an awaited connect would return.
  const { concurrency: _concurrency, topics: _topics, ...mqttOptions } = options;
  const topics = options.topics ?? localTopics;
  // `<root>/<agentId>/<kind>`: the levels after the root, whatever the root's depth.
  const levels = (topic: string) =>
    topic.startsWith(`${topics.root}/`) ? topic.slice(topics.root.length + 1).split('/') : [];
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
    const agentId = levels(topic)[0] ?? '';
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
    AGENT_MESSAGE_KINDS.map((kind) => `${topics.root}/+/${kind}`),
    { qos: 1 },
  );

  async function handle(topic: string, payload: Buffer): Promise<void> {
    const [agentId = '', kind = '', ...rest] = levels(topic);
    if (rest.length > 0 || !isAgentMessageKind(kind)) return;
    const ack = await receiveAgentMessage(deps, agentId, kind, payload.toString());
    // A part of a result has no acknowledgement yet: the rest is still on its way.
    if (ack) await client.publishAsync(topics.acks(agentId), JSON.stringify(ack), { qos: 1 });
  }
  // idle(): the messages already received are handled — await it after endAsync() and
  // before closing the store, or a late presence/result would hit a closed database.
  return Object.assign(client, { idle: async () => void (await Promise.all(lanes.values())) });
}
