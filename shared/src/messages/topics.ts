/**
 * MQTT topic layout, one tree per agent (AWS IoT Core style, so per-thing policies can
 * grant an agent exactly its own topics):
 *   cardfleet/agents/<id>/jobs       cloud → agent   signed job envelopes
 *   cardfleet/agents/<id>/acks       cloud → agent   result acknowledgements
 *   cardfleet/agents/<id>/progress   agent → cloud   progress events
 *   cardfleet/agents/<id>/results    agent → cloud   results (possibly in parts)
 *   cardfleet/agents/<id>/presence   agent → cloud   retained status + reader inventory
 */
export const TOPIC_ROOT = 'cardfleet/agents';

export const topics = {
  jobs: (agentId: string) => `${TOPIC_ROOT}/${agentId}/jobs`,
  acks: (agentId: string) => `${TOPIC_ROOT}/${agentId}/acks`,
  progress: (agentId: string) => `${TOPIC_ROOT}/${agentId}/progress`,
  results: (agentId: string) => `${TOPIC_ROOT}/${agentId}/results`,
  presence: (agentId: string) => `${TOPIC_ROOT}/${agentId}/presence`,
} as const;
