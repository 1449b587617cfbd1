import { CLOUD_INGEST_USER, CLOUD_PUBLISH_USER, observerUser, topics } from '@cardfleet/shared';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, expect, it } from 'vitest';

/**
 * The broker-side least-privilege and identity checks, run against each local broker
 * (Mosquitto with a password + ACL file and `use_username_as_clientid`; the embedded
 * Aedes through the broker authorizer). Both get their rules from
 * shared/src/messages/broker-policy.ts. Every client logs in as its own user with client
 * id = user name (`login`); the agents are `agent-1` and `agent-2`.
 */
export const AGENTS = ['agent-1', 'agent-2'] as const;

export interface BrokerUnderTest {
  url: () => string;
  /** Connect options (client id, username, password) that log `user` in on this broker. */
  login: (user: string) => IClientOptions;
}

export function brokerAclContract(broker: BrokerUnderTest): void {
  const clients: MqttClient[] = [];
  const client = async (user: string, options: IClientOptions = {}) => {
    const c = await connectAsync(broker.url(), { ...broker.login(user), reconnectPeriod: 0, ...options });
    clients.push(c);
    return c;
  };
  // One connection per user at a time: a second one with the same client id would take over.
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true);
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
      connectAsync(broker.url(), {
        clientId: 'agent-2',
        username: 'agent-2',
        password: 'wrong',
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
    await expect(connectAsync(broker.url(), { reconnectPeriod: 0 })).rejects.toThrow();
  });

  it('lets an agent read its own jobs but not another agent’s', async () => {
    const publisher = await client(CLOUD_PUBLISH_USER);
    const agent1 = await client('agent-1');
    const seen = received(agent1);
    await agent1.subscribeAsync(topics.jobs('agent-1'), { qos: 1 });
    // Refused either way: Aedes answers SUBACK 0x80 (mqtt.js rejects), Mosquitto grants
    // the subscription but delivers nothing on it.
    await agent1.subscribeAsync(topics.jobs('agent-2'), { qos: 1 }).catch(() => undefined);
    await publisher.publishAsync(topics.jobs('agent-1'), 'job for 1', { qos: 1 });
    await publisher.publishAsync(topics.jobs('agent-2'), 'job for 2', { qos: 1 });
    await settle();
    expect(seen).toEqual([`${topics.jobs('agent-1')} job for 1`]);
  });

  it('lets an agent publish only its own results', async () => {
    const ingest = await client(CLOUD_INGEST_USER);
    const seen = received(ingest);
    await ingest.subscribeAsync(`${topics.root}/+/results`, { qos: 1 });
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

  it("lets an agent ask for its own batch's cards only, and the cloud's ingest read them", async () => {
    const ingest = await client(CLOUD_INGEST_USER);
    const seen = received(ingest);
    await ingest.subscribeAsync(`${topics.root}/+/batch`, { qos: 1 });
    const agent1 = await client('agent-1');
    await agent1.publishAsync(topics.batch('agent-1'), 'next card of 1', { qos: 1 });
    void agent1.publishAsync(topics.batch('agent-2'), 'next card for 2', { qos: 1 }).catch(() => undefined);
    await settle();
    expect(seen).toEqual([`${topics.batch('agent-1')} next card of 1`]);
  });

  it('gives each cloud client only its own part: publisher writes jobs, ingest reads results and writes acks, taps only read', async () => {
    const agent1 = await client('agent-1');
    const agentSeen = received(agent1);
    await agent1.subscribeAsync([topics.jobs('agent-1'), topics.acks('agent-1')], { qos: 1 });
    const tap = await client(observerUser('spy'));
    const tapSeen = received(tap);
    await tap.subscribeAsync(`${topics.root}/#`, { qos: 1 });
    const publisher = await client(CLOUD_PUBLISH_USER);
    const publisherSeen = received(publisher);
    await publisher.subscribeAsync(`${topics.root}/+/results`, { qos: 1 }).catch(() => undefined);
    const ingest = await client(CLOUD_INGEST_USER);
    await ingest.publishAsync(topics.acks('agent-1'), 'ack', { qos: 1 });
    await agent1.publishAsync(topics.results('agent-1'), 'result', { qos: 1 });
    await settle();
    // Not theirs: each is dropped (Mosquitto) or ends the connection (Aedes), so last.
    void ingest.publishAsync(topics.jobs('agent-1'), 'job from ingest', { qos: 1 }).catch(() => undefined);
    void tap.publishAsync(topics.jobs('agent-1'), 'job from a tap', { qos: 1 }).catch(() => undefined);
    void publisher
      .publishAsync(topics.acks('agent-1'), 'ack from publisher', { qos: 1 })
      .catch(() => undefined);
    await settle();
    expect(agentSeen).toEqual([`${topics.acks('agent-1')} ack`]);
    expect(tapSeen).toEqual(
      expect.arrayContaining([`${topics.acks('agent-1')} ack`, `${topics.results('agent-1')} result`]),
    );
    expect(tapSeen.some((m) => m.includes('from'))).toBe(false);
    expect(publisherSeen).toEqual([]);
  });

  it('keeps a session from anyone using its client id: the owner gets every queued job, the cloud stays connected', async () => {
    const ingest = await client(CLOUD_INGEST_USER);
    const publisher = await client(CLOUD_PUBLISH_USER);
    const closed: string[] = [];
    ingest.on('close', () => closed.push(CLOUD_INGEST_USER));
    publisher.on('close', () => closed.push(CLOUD_PUBLISH_USER));
    // agent-2 has a persistent session with its jobs subscription, and is away.
    const away = await connectAsync(broker.url(), {
      ...broker.login('agent-2'),
      clean: false,
      reconnectPeriod: 0,
    });
    await away.subscribeAsync(topics.jobs('agent-2'), { qos: 1 });
    await away.endAsync();
    const jobs = ['job 1', 'job 2', 'job 3'];
    for (const job of jobs) await publisher.publishAsync(topics.jobs('agent-2'), job, { qos: 1 });
    // agent-1, with its own valid login, tries agent-2's client id and the cloud's.
    const stolen: string[] = [];
    for (const clientId of ['agent-2', CLOUD_INGEST_USER, CLOUD_PUBLISH_USER]) {
      const attacker = await connectAsync(broker.url(), {
        ...broker.login('agent-1'),
        clientId,
        clean: false,
        reconnectPeriod: 0,
      }).catch(() => undefined);
      if (!attacker) continue; // refused (Aedes)
      // Admitted (Mosquitto): as agent-1, whatever client id it sent.
      clients.push(attacker);
      attacker.on('message', (topic, payload) => stolen.push(`${topic} ${payload.toString()}`));
      await attacker.subscribeAsync(topics.jobs('agent-2'), { qos: 1 }).catch(() => undefined);
    }
    await settle();
    expect(stolen).toEqual([]);
    expect(closed).toEqual([]);
    expect(ingest.connected && publisher.connected).toBe(true);
    // The owner comes back to its session and gets all of it (handler first: the broker
    // delivers a persistent session's queue right after CONNACK).
    const owner = connect(broker.url(), { ...broker.login('agent-2'), clean: false, reconnectPeriod: 0 });
    clients.push(owner);
    const seen = received(owner);
    await new Promise((resolve) => owner.once('connect', resolve));
    for (let i = 0; i < 40 && seen.length < jobs.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(jobs.map((job) => `${topics.jobs('agent-2')} ${job}`));
  });
}
