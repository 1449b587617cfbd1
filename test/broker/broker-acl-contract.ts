import { topics } from '@cardfleet/shared';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, expect, it } from 'vitest';

/**
 * The broker-side least-privilege checks, run against each local broker (Mosquitto with
 * a password + ACL file, embedded Aedes with its authorize hooks). Both get their rules
 * from shared/src/messages/broker-policy.ts; users `cardfleet-cloud`, `agent-1` and
 * `agent-2` with the password `<user>-secret`.
 */
export const BROKER_USERS = ['cardfleet-cloud', 'agent-1', 'agent-2'] as const;
export const passwordOf = (user: string) => `${user}-secret`;

export function brokerAclContract(brokerUrl: () => string): void {
  const clients: MqttClient[] = [];
  const client = async (username: string) => {
    const c = await connectAsync(brokerUrl(), {
      clientId: `${username}-${clients.length}`,
      username,
      password: passwordOf(username),
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };

  afterAll(async () => {
    for (const c of clients) await c.endAsync(true);
  });

  const received = (c: MqttClient) => {
    const messages: string[] = [];
    c.on('message', (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
    return messages;
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('refuses clients without valid credentials', async () => {
    expect((await client('agent-1')).connected).toBe(true); // the broker is up and knows agent-1
    await expect(
      connectAsync(brokerUrl(), { username: 'agent-1', password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow();
    await expect(connectAsync(brokerUrl(), { reconnectPeriod: 0 })).rejects.toThrow();
  });

  it('lets an agent read its own jobs but not another agent’s', async () => {
    const cloud = await client('cardfleet-cloud');
    const agent1 = await client('agent-1');
    const seen = received(agent1);
    await agent1.subscribeAsync(topics.jobs('agent-1'), { qos: 1 });
    // Refused either way: Aedes answers SUBACK 0x80 (mqtt.js rejects), Mosquitto grants
    // the subscription but delivers nothing on it.
    await agent1.subscribeAsync(topics.jobs('agent-2'), { qos: 1 }).catch(() => undefined);
    await cloud.publishAsync(topics.jobs('agent-1'), 'job for 1', { qos: 1 });
    await cloud.publishAsync(topics.jobs('agent-2'), 'job for 2', { qos: 1 });
    await settle();
    expect(seen).toEqual([`${topics.jobs('agent-1')} job for 1`]);
  });

  it('lets an agent publish only its own results', async () => {
    const cloud = await client('cardfleet-cloud');
    const seen = received(cloud);
    await cloud.subscribeAsync('cardfleet/agents/+/results', { qos: 1 });
    const agent1 = await client('agent-1');
    await agent1.publishAsync(topics.results('agent-1'), 'result from 1', { qos: 1 });
    // Mosquitto drops the message; Aedes closes the connection (MQTT-3.3.5-2), so no
    // PUBACK ever comes: do not wait for one.
    void agent1
      .publishAsync(topics.results('agent-2'), 'forged result for 2', { qos: 1 })
      .catch(() => undefined);
    await settle();
    expect(seen).toEqual([`${topics.results('agent-1')} result from 1`]);
  });
}
