import { generateKeyPairSync } from 'node:crypto';
import { agentTopics, signBrokerLogin } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { AgentState } from '../agents/agent-store';
import { type BrokerAuthorizerDeps, brokerAuthorizer, principalIdOf } from './broker-authorizer';

/**
 * Attacks on the broker's authorizer (IoT Core's custom authorizer; the embedded Aedes),
 * each failing when the check that stops it is removed (docs/mutation-testing.md).
 * The agent store is a stub here: the tests beside it with a whole cloud are in
 * broker-authorizer.test.ts.
 */
const AGENT = 'agent-1';
const topics = agentTopics('cardfleet/agents');
const scope = { region: 'eu-central-1', account: '123456789012' };
const now = 1_800_000_000;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = key.publicKey.export({ format: 'jwk' });

const login = (username = AGENT, extra: Record<string, unknown> = {}) => ({
  protocols: ['tls', 'mqtt'],
  protocolData: {
    mqtt: {
      username,
      clientId: username,
      password: Buffer.from(
        signBrokerLogin(key.privateKey, { agentId: username, audience: topics.root, now }),
      ).toString('base64'),
    },
  },
  ...extra,
});

function authorizer(
  agents: Record<string, { state: AgentState; publicJwk?: typeof publicJwk }> = {
    [AGENT]: { state: 'ACTIVE', publicJwk },
  },
  more: Partial<BrokerAuthorizerDeps> = {},
) {
  const refusals: [string, string | undefined][] = [];
  const authorize = brokerAuthorizer({
    agents: { get: async (id) => agents[id] },
    topics,
    scope,
    nowSeconds: () => now,
    onRefusal: (reason, username) => refusals.push([reason, username]),
    ...more,
  });
  return { authorize, refusals };
}

describe('broker authorizer attacks', () => {
  it('admits a login over MQTT, and refuses the same login over another protocol', async () => {
    const { authorize } = authorizer();
    expect((await authorize(login())).isAuthenticated).toBe(true);
    expect((await authorize(login(AGENT, { protocols: undefined }))).isAuthenticated).toBe(true);
    expect((await authorize(login(AGENT, { protocols: ['tls', 'http'] }))).isAuthenticated).toBe(false);
  });

  it('refuses an active agent that has no enrolled key', async () => {
    const { authorize, refusals } = authorizer({ [AGENT]: { state: 'ACTIVE' } });
    expect(await authorize(login())).toMatchObject({ isAuthenticated: false, policyDocuments: [] });
    expect(refusals).toEqual([['agent ACTIVE', AGENT]]);
  });

  it('logs a refused name only when it is a well-formed name (no line breaks forged into the log)', async () => {
    const { authorize, refusals } = authorizer();
    await authorize(login('agent-1\nINFO admitted agent-2'));
    await authorize(login('agent-unknown'));
    expect(refusals).toEqual([
      ['unknown principal', undefined],
      ['agent unknown', 'agent-unknown'],
    ]);
  });

  it('answers with the session it is given, and admits with one document per statement', async () => {
    const session = { refreshAfter: 600, disconnectAfter: 1200 };
    const { authorize } = authorizer(undefined, { session });
    const answer = await authorize(login());
    expect(answer).toMatchObject({ refreshAfterInSeconds: 600, disconnectAfterInSeconds: 1200 });
    expect(answer.policyDocuments.every((d) => d.Statement.length === 1)).toBe(true);
    expect(answer.policyDocuments.length).toBeGreaterThan(1);
  });

  it('gives every principal an alphanumeric id of at most 128 characters, distinct for names differing in symbols', () => {
    const long = `a${'b'.repeat(127)}`;
    for (const name of [long, 'agent-1', 'agent1', 'a.b_c-d']) {
      expect(principalIdOf(name)).toMatch(/^[A-Za-z0-9]{1,128}$/);
    }
    expect(principalIdOf(long)).toHaveLength(117);
    expect(principalIdOf(long).startsWith(long.slice(0, 100))).toBe(true);
    expect(principalIdOf('agent-1')).not.toBe(principalIdOf('agent1'));
    expect(principalIdOf('agent-1')).toMatch(/^agent1x[0-9a-f]{16}$/);
  });

  it('refuses another client id than the principal’s own, and says so in its log', async () => {
    const { authorize, refusals } = authorizer();
    const event = login();
    event.protocolData.mqtt.clientId = 'agent-2';
    expect((await authorize(event)).isAuthenticated).toBe(false);
    expect(refusals).toEqual([['client id is not the principal’s own', AGENT]]);
  });

  it('refuses without a refusal log as well (the log is optional)', async () => {
    const authorize = brokerAuthorizer({
      agents: { get: async () => undefined },
      topics,
      scope,
      nowSeconds: () => now,
    });
    expect(await authorize(login())).toMatchObject({ isAuthenticated: false, policyDocuments: [] });
  });
});
