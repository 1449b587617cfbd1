/**
 * MQTT topic layout, one tree per agent (AWS IoT Core style, so per-thing policies can
 * grant an agent exactly its own topics):
 *   <root>/<id>/jobs       cloud → agent   signed job envelopes
 *   <root>/<id>/acks       cloud → agent   result acknowledgements
 *   <root>/<id>/progress   agent → cloud   progress events
 *   <root>/<id>/results    agent → cloud   results (possibly in parts)
 *   <root>/<id>/presence   agent → cloud   retained status + reader inventory
 *   <root>/<id>/batch      agent → cloud   a card is in the batch's reader: its job, please
 *
 * In AWS one IoT endpoint serves every stage of an account, so the root carries the app
 * and the stage (`topicRootFor`); locally the root is `TOPIC_ROOT`.
 */
export const TOPIC_ROOT = 'cardfleet/agents';

/** The topic root of an SST app's stage: `<app>/<stage>/agents`. */
export function topicRootFor(app: string, stage: string): string {
  const level = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  if (!level.test(app) || !level.test(stage)) throw new Error(`not a topic level: ${app}/${stage}`);
  return `${app}/${stage}/agents`;
}

export type AgentTopics = ReturnType<typeof agentTopics>;

/** The topics of every agent under `root`. */
export function agentTopics(root: string) {
  return {
    root,
    jobs: (agentId: string) => `${root}/${agentId}/jobs`,
    acks: (agentId: string) => `${root}/${agentId}/acks`,
    progress: (agentId: string) => `${root}/${agentId}/progress`,
    results: (agentId: string) => `${root}/${agentId}/results`,
    presence: (agentId: string) => `${root}/${agentId}/presence`,
    batch: (agentId: string) => `${root}/${agentId}/batch`,
  } as const;
}

/** The local layout (`npm start`, the test rig). */
export const topics = agentTopics(TOPIC_ROOT);
