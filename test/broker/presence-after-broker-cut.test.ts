import { memoryLogger, type Presence, parsePresenceMessage, topics } from '@cardfleet/shared';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { bareAgentSession } from '../support/bare-agent-session';
import { startMosquitto } from '../support/mosquitto';
import { startTcpProxy } from '../support/tcp-proxy';

// The agent's MQTT session alone (no readers of the rig, no cloud) between a broker and
// a TCP proxy that cuts the network: the broker publishes the agent's last will, and the
// agent, once it is back, announces itself online again — with its readers, its version
// and when it started (docs/messaging.md, "Sessions"; "Agent → cloud").
const AGENT = 'agent-presence-1';
const agent = { version: '0.1.0', startedAt: '2026-12-06T03:00:00.000Z' };

const brokers = {
  mosquitto: async () => {
    const broker = await startMosquitto();
    return { url: broker.url, port: broker.port, close: broker.stop };
  },
  aedes: async () => {
    const broker = await startEmbeddedBroker();
    return { url: broker.url, port: Number(new URL(broker.url).port), close: broker.close };
  },
};

describe.each(Object.keys(brokers) as (keyof typeof brokers)[])('through %s', (kind) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  it('announces the agent online again after a cut, with readers, version and start time', async () => {
    const broker = await brokers[kind]();
    cleanups.push(broker.close);
    const proxy = await startTcpProxy({ port: broker.port });
    cleanups.push(proxy.close);
    // A watcher straight on the broker: every presence as the broker carries it.
    const seen: Presence[] = [];
    const watcher: MqttClient = await connectAsync(broker.url, { clientId: 'presence-watcher' });
    cleanups.push(() => watcher.endAsync());
    watcher.on('message', (_topic, payload) => seen.push(parsePresenceMessage(payload.toString())));
    await watcher.subscribeAsync(topics.presence(AGENT), { qos: 1 });

    const readers = new InProcessReaders();
    readers.addReader('Reader 0');
    const logger = memoryLogger();
    const session = bareAgentSession({
      agentId: AGENT,
      mqttUrl: proxy.url,
      reconnectMaxMs: 500,
      readers,
      logger,
      agent,
    });
    await session.start();
    cleanups.push(() => session.stop());
    const until = async (what: string, condition: () => boolean) => {
      for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
      if (!condition())
        throw new Error(`${what} did not happen (${logger.records.map((r) => r.msg).join('; ')})`);
    };
    const online = (p: Presence) =>
      p.status === 'online' &&
      p.readers.some((r) => r.name === 'Reader 0') &&
      p.agentVersion === agent.version;
    await until('the first announcement', () => seen.some(online));

    proxy.refuse();
    proxy.cut();
    await until('the last will', () => seen.at(-1)?.status === 'offline');
    expect(session.connected).toBe(false);
    const announcedBefore = seen.filter(online).length;

    proxy.accept();
    await until('the announcement after the reconnect', () => seen.filter(online).length > announcedBefore);
    expect(seen.at(-1)).toMatchObject({
      status: 'online',
      agentVersion: '0.1.0',
      startedAt: agent.startedAt,
    });
    expect(proxy.connections()).toBeGreaterThanOrEqual(2);
    // What a client arriving now reads first is the retained presence: online.
    const late: string[] = [];
    const reader = await connectAsync(broker.url, { clientId: 'presence-late' });
    cleanups.push(() => reader.endAsync());
    reader.on('message', (_topic, payload) => late.push(payload.toString()));
    await reader.subscribeAsync(topics.presence(AGENT), { qos: 1 });
    await until('the retained presence', () => late.length > 0);
    expect(parsePresenceMessage(late[0] ?? '')).toMatchObject({ status: 'online', agentVersion: '0.1.0' });
  });
});
