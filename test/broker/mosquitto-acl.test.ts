import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@cardfleet/shared';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Least privilege on the broker, like IoT Core's per-thing policies: every client
 * authenticates, and an agent may read only its own jobs/acks and write only its own
 * results/progress/presence. A Mosquitto with a password file and this ACL file
 * proves both refusals.
 */
const MOSQUITTO_ACL = `user cardfleet-cloud
topic readwrite cardfleet/agents/#

pattern read cardfleet/agents/%u/jobs
pattern read cardfleet/agents/%u/acks
pattern write cardfleet/agents/%u/results
pattern write cardfleet/agents/%u/progress
pattern write cardfleet/agents/%u/presence
`;

describe('broker ACLs (Mosquitto)', () => {
  let broker: ChildProcess;
  let url = '';
  const clients: MqttClient[] = [];
  const client = async (username: string) => {
    const c = await connectAsync(url, {
      clientId: `${username}-${clients.length}`,
      username,
      password: `${username}-secret`,
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardfleet-mosquitto-'));
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const passwords = join(dir, 'passwords');
    for (const [i, user] of ['cardfleet-cloud', 'agent-1', 'agent-2'].entries()) {
      execFileSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwords, user, `${user}-secret`]);
    }
    writeFileSync(join(dir, 'acl'), MOSQUITTO_ACL);
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwords}\nacl_file ${join(dir, 'acl')}\npersistence false\n`,
    );
    // Mosquitto started as root drops to its own user: it must be able to read these.
    chmodSync(dir, 0o755);
    chmodSync(passwords, 0o644);
    broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    url = `mqtt://127.0.0.1:${port}`;
    for (
      let i = 0;
      i < 100 &&
      !readFileSync('/proc/net/tcp', 'utf8').includes(
        `:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`,
      );
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync();
    broker.kill('SIGTERM');
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
      connectAsync(url, { username: 'agent-1', password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow();
    await expect(connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow();
  });

  it('lets an agent read its own jobs but not another agent’s', async () => {
    const cloud = await client('cardfleet-cloud');
    const agent1 = await client('agent-1');
    const seen = received(agent1);
    await agent1.subscribeAsync([topics.jobs('agent-1'), topics.jobs('agent-2')], { qos: 1 });
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
    await agent1
      .publishAsync(topics.results('agent-2'), 'forged result for 2', { qos: 1 })
      .catch(() => undefined);
    await settle();
    expect(seen).toEqual([`${topics.results('agent-1')} result from 1`]);
  });
});
