import { CLOUD_BROKER_USER } from '@cardfleet/shared';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { revokeOnMosquitto } from '../support/mosquitto-revocation';

// How revocation works on Mosquitto, the rig's broker with no authorizer hook
// (docs/security.md, "Revocation"): the agent's user leaves the password file and the
// broker reloads it.
const AGENT = 'agent-revoked-1';
const users = { [CLOUD_BROKER_USER]: 'cloud-secret', [AGENT]: 'agent-secret' };

describe('revoking an agent on Mosquitto', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('disconnects the connected agent at once, keeps the others, and refuses its next connection', async () => {
    const broker = await startMosquitto({ users });
    stop = broker.stop;
    const login = { username: AGENT, password: users[AGENT], reconnectPeriod: 0 };
    const agent = await connectAsync(broker.url, { clientId: AGENT, ...login });
    const cloud = await connectAsync(broker.url, {
      clientId: CLOUD_BROKER_USER,
      username: CLOUD_BROKER_USER,
      password: users[CLOUD_BROKER_USER],
      reconnectPeriod: 0,
    });
    const closed = new Promise<number>((resolve) => agent.once('close', () => resolve(Date.now())));
    const revokedAt = Date.now();
    revokeOnMosquitto(broker, AGENT);
    expect((await closed) - revokedAt).toBeLessThan(2000);
    expect(cloud.connected).toBe(true);
    await expect(connectAsync(broker.url, { clientId: AGENT, ...login })).rejects.toThrow(
      /not authori[sz]ed/i,
    );
    await agent.endAsync(true);
    await cloud.endAsync();
  });
});
