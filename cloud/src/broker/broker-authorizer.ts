import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type AgentTopics,
  agentPolicy,
  BROKER_LOGIN_SECONDS,
  brokerClientId,
  brokerPrincipal,
  type IotPolicyDocument,
  type IotScope,
  iotArn,
  isAllowed,
  isBrokerUsername,
  perStatement,
  principalPolicy,
  verifyBrokerLogin,
} from '@cardfleet/shared';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { AgentState } from '../agents/agent-store';

/**
 * The broker's authorizer — IoT Core's custom authorizer in AWS (cloud/src/lambda/
 * iot-authorizer.ts), and the embedded Aedes' authentication locally (cloud/src/node/
 * embedded-broker.ts): the same function decides in both (docs/messaging.md, "Broker
 * identity"). Input and output are IoT Core's custom authorizer event and response
 * (AWS IoT Core Developer Guide, "Defining your Lambda function").
 *
 * An agent logs in with username = client id = its agent id and, as password, a login it
 * signed with its enrolled key (shared/src/broker/broker-login.ts): admitted only when
 * the agent is ACTIVE and the login verifies against its enrolled public key, for this
 * topic tree, within its validity. The answer is the agent's policy (shared/src/messages/
 * broker-policy.ts), which lets that client id connect and nothing else. Locally, the
 * cloud's own clients log in by password (`servicePasswords`; none in AWS, where the
 * cloud uses IoT Core's data plane). Every refusal is `isAuthenticated: false`; a bad
 * client never makes the authorizer throw.
 */
export interface IotAuthorizerEvent {
  token?: string;
  signatureVerified?: boolean;
  protocols?: string[];
  protocolData?: { mqtt?: { username?: string; password?: string; clientId?: string } };
  connectionMetadata?: { id?: string };
}

export interface IotAuthorizerResponse {
  isAuthenticated: boolean;
  /** Alphanumeric, 1–128 characters (IoT Core refuses anything else). */
  principalId: string;
  disconnectAfterInSeconds: number;
  refreshAfterInSeconds: number;
  policyDocuments: IotPolicyDocument[];
}

/**
 * How long a connection lives and how often IoT Core asks again. A refresh re-runs the
 * authorizer with the connection's own login: a revoked agent loses its connection at
 * the next refresh, so `refreshAfter` bounds how long a revoked agent stays connected in
 * AWS — 300 s, the shortest IoT Core allows (its limits: 300–86 400 s for both). The
 * connection ends (`disconnectAfter`) 5 minutes before its login expires, so no refresh
 * ever meets an expired login on a live connection; the agent reconnects with a fresh one.
 */
export const BROKER_SESSION_SECONDS = {
  refreshAfter: 300,
  disconnectAfter: BROKER_LOGIN_SECONDS - 300,
} as const;

/** A connection ends this long before its login expires. */
const LOGIN_MARGIN_SECONDS = 300;
/** IoT Core's shortest `disconnectAfterInSeconds`. */
const MIN_SESSION_SECONDS = 300;

export interface BrokerAuthorizerDeps {
  /** The agent's state and enrolled key (AgentStore.get). */
  agents: {
    get(id: string): Promise<{ state: AgentState; publicJwk?: JWK | undefined } | undefined>;
  };
  topics: AgentTopics;
  /** The region and account the policy's ARNs name. */
  scope: IotScope;
  /** Seconds since the epoch. */
  nowSeconds: () => number;
  /** The cloud's own MQTT users and their passwords (locally only). */
  servicePasswords?: Readonly<Record<string, string>>;
  session?: { refreshAfter: number; disconnectAfter: number };
  /** Why a client was refused (for the log: names and reasons, never a password). */
  onRefusal?: (reason: string, username: string | undefined) => void;
}

const EventSchema = z.object({
  protocols: z.array(z.string()).optional(),
  protocolData: z.object({
    mqtt: z.object({
      username: z.string().min(1).max(128),
      password: z.string().max(4096),
      clientId: z.string().min(1).max(128),
    }),
  }),
});

export type BrokerAuthorizer = (event: unknown) => Promise<IotAuthorizerResponse>;

export function brokerAuthorizer(deps: BrokerAuthorizerDeps): BrokerAuthorizer {
  const session = deps.session ?? BROKER_SESSION_SECONDS;
  const answer = (
    username: string,
    policy?: IotPolicyDocument,
    disconnectAfter = session.disconnectAfter,
  ): IotAuthorizerResponse => ({
    isAuthenticated: policy !== undefined,
    principalId: principalIdOf(username),
    disconnectAfterInSeconds: disconnectAfter,
    refreshAfterInSeconds: session.refreshAfter,
    policyDocuments: policy ? perStatement(policy) : [],
  });
  const refuse = (reason: string, username?: string) => {
    // Only a well-formed name reaches the log (no line breaks or control characters from a client).
    // Stryker disable next-line ConditionalExpression: an undefined name is passed on as undefined either way
    deps.onRefusal?.(reason, username !== undefined && isBrokerUsername(username) ? username : undefined);
    return answer(username ?? 'refused');
  };

  return async (raw) => {
    const event = EventSchema.safeParse(raw);
    if (!event.success) return refuse('not an MQTT login with username, password and client id');
    if (event.data.protocols && !event.data.protocols.includes('mqtt')) return refuse('not MQTT');
    const { password, clientId } = event.data.protocolData.mqtt;
    // An agent names the authorizer in its username's query where it is not the
    // endpoint's default (`<id>?x-amz-customauthorizer-name=…`, AWS IoT Core Developer
    // Guide, "Connecting to AWS IoT Core by using custom authentication"): the name is
    // what comes before it. A principal's name never holds `?` (isBrokerUsername).
    const username = event.data.protocolData.mqtt.username.split('?')[0] ?? '';
    // One client id per principal (its user name, with the stage in AWS): a client can
    // never take over another's session, nor another stage's.
    if (clientId !== brokerClientId(username, deps.topics))
      return refuse('client id is not the principal’s own', username);
    const principal = brokerPrincipal(username);
    if (!principal) return refuse('unknown principal', username);
    const secret = Buffer.from(password, 'base64');
    let policy: IotPolicyDocument;
    let disconnectAfter = session.disconnectAfter;
    if (principal.kind === 'agent') {
      const agent = await deps.agents.get(username).catch(() => undefined);
      if (agent?.state !== 'ACTIVE' || !agent.publicJwk)
        return refuse(`agent ${agent?.state ?? 'unknown'}`, username);
      const now = deps.nowSeconds();
      try {
        const login = await verifyBrokerLogin(secret.toString('utf8'), agent.publicJwk, {
          agentId: username,
          audience: deps.topics.root,
          now,
        });
        // The connection ends 5 minutes before its login does, whenever the login was
        // made; a login too close to its end for IoT Core's shortest session (300 s) is
        // refused, and the agent logs in afresh.
        const loginLeft = login.exp - now - LOGIN_MARGIN_SECONDS;
        if (loginLeft < MIN_SESSION_SECONDS) return refuse('login expires too soon', username);
        disconnectAfter = Math.min(session.disconnectAfter, loginLeft);
      } catch (error) {
        return refuse((error as Error).message, username);
      }
      policy = agentPolicy(username, deps.topics, deps.scope);
    } else {
      const expected = deps.servicePasswords?.[username];
      if (expected === undefined || !sameSecret(secret, expected)) return refuse('bad password', username);
      policy = principalPolicy(username, deps.topics, deps.scope);
    }
    // The policy decides the client id too, with the evaluator every broker uses.
    // Stryker disable next-line ConditionalExpression: client id = user name (checked above) and every policy lets its user name connect; kept so the policy alone would refuse
    if (!isAllowed([policy], 'iot:Connect', iotArn(deps.scope, 'client', clientId)))
      return refuse('client id not allowed by the policy', username);
    return answer(username, policy, disconnectAfter);
  };
}

function sameSecret(given: Buffer, expected: string): boolean {
  // Hashes first: equal lengths for timingSafeEqual, and no early exit on the length.
  const digest = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * IoT Core's principal id is alphanumeric (1–128): the name's letters and digits, made
 * unique again by a short hash of the whole name (`agent-1` and `agent1` differ).
 */
export function principalIdOf(username: string): string {
  const letters = username.replace(/[^A-Za-z0-9]/g, '').slice(0, 100);
  return `${letters}x${createHash('sha256').update(username).digest('hex').slice(0, 16)}`;
}
