import {
  IOT_POLICY_VERSION,
  type IotPolicyDocument,
  type IotScope,
  iotArn,
  isAllowed,
  LOCAL_IOT_SCOPE,
  mayPublishWith,
} from '../broker/iot-policy';
import { type AgentTopics, topics as localTopics, TOPIC_ROOT } from './topics';

/**
 * Who may use which topic — the one policy source (docs/messaging.md, "Broker identity").
 * Every principal's rights are an IoT Core policy document (`principalPolicy`): the
 * custom authorizer returns the agent's to IoT Core, the embedded Aedes evaluates the
 * same documents with the one evaluator (shared/src/broker/iot-policy.ts), and
 * `mosquittoAcl` renders the same rights as Mosquitto's acl_file.
 *
 * Principals, each its own MQTT user whose client id must be its user name:
 *  - an agent (username = client id = agent id) reads only its own jobs and acks and
 *    writes only its own results, progress, presence and batch requests;
 *  - `cardfleet-cloud-publish` writes jobs and cancels (the jobs topics) and nothing else;
 *  - `cardfleet-cloud-ingest` reads what agents send and writes the acknowledgements;
 *  - `cardfleet-observer-<name>` (tests' taps) reads the whole tree and writes nothing.
 * The `cardfleet-` prefix is reserved for these: it is never an agent.
 */
export const CLOUD_PUBLISH_USER = 'cardfleet-cloud-publish';
export const CLOUD_INGEST_USER = 'cardfleet-cloud-ingest';
const SERVICE_PREFIX = 'cardfleet-';
const OBSERVER_PREFIX = 'cardfleet-observer-';

const AGENT_READS = ['jobs', 'acks'] as const;
// `batch`: the agent asks for the next card's job of an open batch (docs/batches.md).
const AGENT_WRITES = ['results', 'progress', 'presence', 'batch'] as const;

/** A name usable as an MQTT username, client id and topic level (no wildcards, no separators). */
export const isBrokerUsername = (name: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name);

/** An agent id the broker takes: a broker username outside the reserved service prefix. */
export const isAgentBrokerId = (name: string): boolean =>
  isBrokerUsername(name) && !name.startsWith(SERVICE_PREFIX);

/**
 * The one client id a principal may connect with. Locally it is the user name. Under a
 * stage's root the stage is part of it: IoT Core keeps one connection per client id per
 * account and region, and one endpoint serves every stage, so an agent id taken in two
 * stages must not let one stage's login take the other's connection or session
 * (docs/deploy.md). IoT Core allows client ids up to 128 characters.
 */
export function brokerClientId(username: string, t: AgentTopics = localTopics): string {
  return t.root === TOPIC_ROOT ? username : `${t.root.replaceAll('/', '.')}.${username}`;
}

/** The read-only user of a tap that watches the tree (tests' spies and wiretaps). */
export const observerUser = (name: string): string => `${OBSERVER_PREFIX}${name}`;

export type BrokerPrincipal =
  | { kind: 'agent'; agentId: string }
  | { kind: 'cloud-publish' }
  | { kind: 'cloud-ingest' }
  | { kind: 'observer'; name: string };

/** Which principal a username names (undefined: nobody the policy knows). */
export function brokerPrincipal(username: string): BrokerPrincipal | undefined {
  if (!isBrokerUsername(username)) return undefined;
  if (username === CLOUD_PUBLISH_USER) return { kind: 'cloud-publish' };
  if (username === CLOUD_INGEST_USER) return { kind: 'cloud-ingest' };
  if (username.startsWith(OBSERVER_PREFIX) && username.length > OBSERVER_PREFIX.length)
    return { kind: 'observer', name: username.slice(OBSERVER_PREFIX.length) };
  return isAgentBrokerId(username) ? { kind: 'agent', agentId: username } : undefined;
}

const statement = (action: string, resources: string[]) => ({
  Effect: 'Allow' as const,
  Action: [action],
  Resource: resources,
});

/** The policy of the principal `username` names (none: a document that allows nothing). */
export function principalPolicy(
  username: string,
  t: AgentTopics = localTopics,
  scope: IotScope = LOCAL_IOT_SCOPE,
): IotPolicyDocument {
  const principal = brokerPrincipal(username);
  const topic = (name: string) => iotArn(scope, 'topic', name);
  const filter = (name: string) => iotArn(scope, 'topicfilter', name);
  const connect = statement('iot:Connect', [iotArn(scope, 'client', brokerClientId(username, t))]);
  const every = (kind: string) => `${t.root}/*/${kind}`;
  const oneLevel = (kind: string) => `${t.root}/+/${kind}`;
  switch (principal?.kind) {
    case 'agent': {
      const id = principal.agentId;
      return document([
        connect,
        statement(
          'iot:Subscribe',
          AGENT_READS.map((kind) => filter(t[kind](id))),
        ),
        statement(
          'iot:Receive',
          AGENT_READS.map((kind) => topic(t[kind](id))),
        ),
        statement(
          'iot:Publish',
          AGENT_WRITES.map((kind) => topic(t[kind](id))),
        ),
        // Presence is retained (and the last will that says offline): only there.
        statement('iot:RetainPublish', [topic(t.presence(id))]),
      ]);
    }
    case 'cloud-publish':
      return document([connect, statement('iot:Publish', [topic(every('jobs'))])]);
    case 'cloud-ingest':
      return document([
        connect,
        statement(
          'iot:Subscribe',
          AGENT_WRITES.map((kind) => filter(oneLevel(kind))),
        ),
        statement(
          'iot:Receive',
          AGENT_WRITES.map((kind) => topic(every(kind))),
        ),
        statement('iot:Publish', [topic(every('acks'))]),
      ]);
    case 'observer':
      return document([
        connect,
        statement('iot:Subscribe', [filter(`${t.root}/*`)]),
        statement('iot:Receive', [topic(`${t.root}/*`)]),
      ]);
    default:
      return document([]);
  }
}

/** The agent's policy, as the custom authorizer returns it to IoT Core. */
export function agentPolicy(agentId: string, t: AgentTopics, scope: IotScope): IotPolicyDocument {
  if (!isAgentBrokerId(agentId)) throw new Error('not an agent id the broker takes');
  return principalPolicy(agentId, t, scope);
}

function document(statements: IotPolicyDocument['Statement']): IotPolicyDocument {
  // IoT Core takes no empty Statement list: "nothing allowed" is one Deny of everything.
  return {
    Version: IOT_POLICY_VERSION,
    Statement: statements.length > 0 ? statements : [{ Effect: 'Deny', Action: ['iot:*'], Resource: ['*'] }],
  };
}

const local = (username: string, t: AgentTopics) => [principalPolicy(username, t, LOCAL_IOT_SCOPE)];

export function mayPublish(username: string, topic: string, t: AgentTopics = localTopics): boolean {
  return mayPublishWith(local(username, t), LOCAL_IOT_SCOPE, topic);
}

/** A subscription filter, as a whole: an agent gets exact topics only, never a wildcard over others. */
export function maySubscribe(username: string, filter: string, t: AgentTopics = localTopics): boolean {
  return isAllowed(local(username, t), 'iot:Subscribe', iotArn(LOCAL_IOT_SCOPE, 'topicfilter', filter));
}

/**
 * The same policy as a Mosquitto acl_file (`%u` is the authenticated username; with
 * `use_username_as_clientid` it is also the client id). `users` names the service
 * principals the file grants rights to (agents are covered by the patterns).
 */
// Stryker disable next-line ArrayDeclaration: a default user that names no service principal adds no rule
export function mosquittoAcl(t: AgentTopics = localTopics, users: readonly string[] = []): string {
  const root = t.root;
  const lines: string[] = [];
  for (const user of users) {
    const principal = brokerPrincipal(user);
    if (!principal || principal.kind === 'agent') continue;
    lines.push(`user ${user}`);
    if (principal.kind === 'cloud-publish') lines.push(`topic write ${root}/+/jobs`);
    if (principal.kind === 'cloud-ingest')
      lines.push(...AGENT_WRITES.map((kind) => `topic read ${root}/+/${kind}`), `topic write ${root}/+/acks`);
    if (principal.kind === 'observer') lines.push(`topic read ${root}/#`);
    lines.push('');
  }
  return [
    ...lines,
    ...AGENT_READS.map((kind) => `pattern read ${root}/%u/${kind}`),
    ...AGENT_WRITES.map((kind) => `pattern write ${root}/%u/${kind}`),
    '',
  ].join('\n');
}
