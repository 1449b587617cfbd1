import { TOPIC_ROOT, topics } from './topics';

/**
 * Who may use which topic — the local twin of IoT Core's per-thing policies, and the one
 * source for both local brokers: Aedes enforces it in its authorize hooks
 * (cloud/src/node/embedded-broker.ts), Mosquitto gets `mosquittoAcl()` as its acl_file.
 *
 * The cloud's user may use the whole agent tree. An agent (MQTT username = agent id) may
 * read only its own jobs and acks, and write only its own results, progress and presence,
 * so it can neither read another agent's jobs nor report as another agent.
 */
export const CLOUD_BROKER_USER = 'cardfleet-cloud';

const AGENT_READS = ['jobs', 'acks'] as const;
const AGENT_WRITES = ['results', 'progress', 'presence'] as const;

/** An agent id usable as an MQTT username and topic level (no wildcards, no separators). */
export const isBrokerUsername = (name: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name);

export function mayPublish(username: string, topic: string): boolean {
  if (username === CLOUD_BROKER_USER) return topic.startsWith(`${TOPIC_ROOT}/`) && !/[+#]/.test(topic);
  return isBrokerUsername(username) && AGENT_WRITES.some((kind) => topics[kind](username) === topic);
}

/** A subscription filter; an agent gets exact topics only, never a wildcard over others. */
export function maySubscribe(username: string, filter: string): boolean {
  if (username === CLOUD_BROKER_USER) return filter.startsWith(`${TOPIC_ROOT}/`);
  return isBrokerUsername(username) && AGENT_READS.some((kind) => topics[kind](username) === filter);
}

/** The same policy as a Mosquitto acl_file (`%u` is the authenticated username). */
export function mosquittoAcl(): string {
  return [
    `user ${CLOUD_BROKER_USER}`,
    `topic readwrite ${TOPIC_ROOT}/#`,
    '',
    ...AGENT_READS.map((kind) => `pattern read ${TOPIC_ROOT}/%u/${kind}`),
    ...AGENT_WRITES.map((kind) => `pattern write ${TOPIC_ROOT}/%u/${kind}`),
    '',
  ].join('\n');
}
