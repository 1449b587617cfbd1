import { CLOUD_INGEST_USER, topics } from '@cardfleet/shared';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import { brokerLogin } from '../../edge-agent/src/daemon/broker-credential';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { bareAgentSession } from '../support/bare-agent-session';
import { agentKeyPair, agentTokenLogin, serviceLogin, testAuthorizer } from '../support/broker-identities';
import { addEnrolledAgent, memoryCloud } from '../support/test-cloud';

/**
 * The embedded Aedes admits and refuses through the broker authorizer — the code IoT
 * Core's custom authorizer runs — over a real agent store, and keeps to the session
 * bounds it answers (docs/messaging.md, "Broker identity"; docs/security.md).
 */
describe('the embedded broker decides with the broker authorizer', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const keys = { 'agent-1': agentKeyPair(), 'agent-2': agentKeyPair(), 'agent-3': agentKeyPair() };
  const brokers: EmbeddedBroker[] = [];
  const clients: MqttClient[] = [];
  const agents = { get: (id: string) => cloud.cloud.agents.get(id, { presence: false }) };
  const start = async (session?: { refreshAfter: number; disconnectAfter: number }) => {
    const broker = await startEmbeddedBroker({ authorize: testAuthorizer(agents, session) });
    brokers.push(broker);
    return broker;
  };
  const login = (agent: keyof typeof keys) => agentTokenLogin(agent, keys[agent].privateKey);
  const connected = async (url: string, options: Parameters<typeof connectAsync>[1]) => {
    const client = await connectAsync(url, { reconnectPeriod: 0, ...options });
    clients.push(client);
    return client;
  };
  const closed = (client: MqttClient) =>
    new Promise<void>((resolve) => client.once('close', () => resolve()));
  const revoke = (agent: string) =>
    cloud.call('POST', `/v1/agents/${agent}/revoke`, { token: cloud.tokens.admin });

  beforeAll(async () => {
    cloud = await memoryCloud();
    for (const [agent, key] of Object.entries(keys))
      await addEnrolledAgent(cloud, agent, 'berlin', key.publicKey);
    await cloud.call('POST', '/v1/agents', {
      token: cloud.tokens.admin,
      body: { id: 'agent-pending', office: 'berlin' },
    });
  });
  afterAll(async () => {
    for (const client of clients) await client.endAsync(true);
    for (const broker of brokers) await broker.close();
  });

  it('admits an enrolled agent’s signed login and refuses forged, foreign and stolen identities', async () => {
    const broker = await start();
    expect((await connected(broker.url, login('agent-1'))).connected).toBe(true);
    const refused = (options: Parameters<typeof connectAsync>[1]) =>
      expect(connectAsync(broker.url, { reconnectPeriod: 0, ...options })).rejects.toThrow(/Not authorized/i);
    // Signed by agent-2's key, naming agent-1.
    await refused({ ...agentTokenLogin('agent-1', keys['agent-2'].privateKey) });
    // agent-1's own valid login, with another client id.
    await refused({ ...login('agent-1'), clientId: 'agent-2' });
    await refused({ ...login('agent-1'), clientId: CLOUD_INGEST_USER });
    // A login an hour old, a PENDING agent, the cloud's user with an agent's login.
    await refused(
      agentTokenLogin('agent-1', keys['agent-1'].privateKey, Math.floor(Date.now() / 1000) - 3600),
    );
    await refused(agentTokenLogin('agent-pending', keys['agent-1'].privateKey));
    await refused({ ...serviceLogin(CLOUD_INGEST_USER), password: login('agent-1').password });
  });

  it('ends a revoked agent’s connection at once (disconnect) and refuses it from then on', async () => {
    const broker = await start();
    const agent = await connected(broker.url, login('agent-2'));
    const gone = closed(agent);
    await revoke('agent-2');
    expect(broker.disconnect('agent-2')).toBe(true);
    await gone;
    await expect(connectAsync(broker.url, { ...login('agent-2'), reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized/i,
    );
    expect(broker.disconnect('agent-2')).toBe(false);
  });

  it('asks the authorizer again every refreshAfter: a revoked agent is dropped at the next refresh', async () => {
    const broker = await start({ refreshAfter: 1, disconnectAfter: 60 });
    const agent = await connected(broker.url, login('agent-3'));
    const gone = closed(agent);
    await agent.subscribeAsync(topics.jobs('agent-3'), { qos: 1 });
    await revoke('agent-3');
    const started = Date.now();
    await gone;
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('ends every connection after disconnectAfter; the agent session comes back with a fresh login', async () => {
    const seen: string[] = [];
    const authorize = testAuthorizer(agents, { refreshAfter: 60, disconnectAfter: 1 });
    const broker = await startEmbeddedBroker({
      authorize: (event) => {
        const mqtt = (event as { protocolData?: { mqtt?: { password?: string } } }).protocolData?.mqtt;
        seen.push(mqtt?.password ?? '');
        return authorize(event);
      },
    });
    brokers.push(broker);
    let reconnected: () => void = () => undefined;
    const session = bareAgentSession({
      agentId: 'agent-1',
      mqttUrl: broker.url,
      login: brokerLogin(
        { kind: 'token' },
        {
          agentId: 'agent-1',
          privateKey: keys['agent-1'].privateKey,
          audience: topics.root,
          clock: systemClock,
        },
      ),
      reconnectMaxMs: 500,
      onReconnect: () => reconnected(),
    });
    await session.start();
    await new Promise<void>((resolve) => {
      reconnected = resolve;
    });
    await session.stop();
    // Each connection presented its own login (mqtt.js would resend the first one).
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
