import { CLOUD_INGEST_USER, parsePresenceMessage, topics } from '@cardfleet/shared';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { bareAgentSession } from '../support/bare-agent-session';
import { passwordOf, serviceLogin } from '../support/broker-identities';
import { startMosquitto } from '../support/mosquitto';

// How revocation works on Mosquitto, the rig's broker with no authorizer hook
// (docs/security.md, "Revocation"): the agent's user leaves the password file and the
// broker reloads it.
const AGENT = 'agent-revoked-1';
const users = { [CLOUD_INGEST_USER]: passwordOf(CLOUD_INGEST_USER), [AGENT]: passwordOf(AGENT) };

describe('revoking an agent on Mosquitto', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('disconnects the connected agent at once, keeps the others, and refuses its next connection', async () => {
    const broker = await startMosquitto({ users });
    stop = broker.stop;
    const login = { username: AGENT, password: passwordOf(AGENT), reconnectPeriod: 0 };
    const agent = await connectAsync(broker.url, { clientId: AGENT, ...login });
    const cloud = await connectAsync(broker.url, { ...serviceLogin(CLOUD_INGEST_USER), reconnectPeriod: 0 });
    const closed = new Promise<number>((resolve) => agent.once('close', () => resolve(Date.now())));
    const revokedAt = Date.now();
    broker.revoke(AGENT);
    expect((await closed) - revokedAt).toBeLessThan(2000);
    expect(cloud.connected).toBe(true);
    await expect(connectAsync(broker.url, { clientId: AGENT, ...login })).rejects.toThrow(
      /not authori[sz]ed/i,
    );
    await agent.endAsync(true);
    await cloud.endAsync();
  });

  it("drops the agent's session without its last will, and the agent still stops cleanly", async () => {
    const broker = await startMosquitto({ users });
    stop = broker.stop;
    const statuses: string[] = [];
    const cloud = await connectAsync(broker.url, serviceLogin(CLOUD_INGEST_USER));
    cloud.on('message', (_topic, payload) => statuses.push(parsePresenceMessage(payload.toString()).status));
    await cloud.subscribeAsync(topics.presence(AGENT), { qos: 1 });
    const session = bareAgentSession({
      agentId: AGENT,
      mqttUrl: broker.url,
      login: { username: AGENT, password: () => passwordOf(AGENT) },
      reconnectMaxMs: 500,
    });
    await session.start();
    const until = async (what: string, condition: () => boolean) => {
      for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
      if (!condition()) throw new Error(`${what} did not happen`);
    };
    await until('the agent online', () => statuses.at(-1) === 'online');
    broker.revoke(AGENT);
    await until('the agent to be dropped', () => !session.connected);
    // Refused at its reconnect; stopping must not wait for a connection that never comes.
    await new Promise((r) => setTimeout(r, 1500));
    expect(session.connected).toBe(false);
    await session.stop();
    // Measured: Mosquitto drops the client without publishing its last will, so the
    // retained presence still says online; the agent's state (REVOKED) is what counts.
    expect(statuses).toEqual(['online']);
    await cloud.endAsync();
  });
});
