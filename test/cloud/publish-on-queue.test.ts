import { JOB_CANCEL_TYPE, signedMessageType, topics, verifyJobEnvelope } from '@cardfleet/shared';
import { generateKeyPair, importJWK } from 'jose';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dispatchQueuedJobs } from '../../cloud/src/publishing/dispatcher';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import type { Publisher } from '../../cloud/src/publishing/publisher';
import { addEnrolledAgent, pushExample, startCloud } from '../support/cloud-server';

// With a publisher, the cloud publishes a job the moment it is queued (POST /v1/jobs,
// POST /v1/jobs/:id/retry) — in AWS through the IoT data plane, here through Mosquitto.
// When that fails the job stays QUEUED and the dispatcher publishes it later.
describe('jobs are published when queued', () => {
  const rig = inject('rig');
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let mqtt: Publisher;
  let failing = false;
  beforeAll(async () => {
    mqtt = await mqttPublisher(rig.mqttUrl, { clientId: 'publish-on-queue' });
    const publisher: Publisher = {
      publish: (topic, payload) =>
        failing ? Promise.reject(new Error('broker away')) : mqtt.publish(topic, payload),
      close: () => mqtt.close(),
    };
    cloud = await startCloud({ publication: { publisher, issuer: 'cardfleet-test' } });
    await pushExample(cloud, 'read-version');
    const agentKey = await generateKeyPair('ES256', { extractable: true });
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', agentKey.publicKey);
  });
  afterAll(async () => {
    await mqtt.close();
    await cloud.close();
  });

  it('answers SENT and the signed envelope is on the agent topic; a failed publish and a cancel are left to the dispatcher', async () => {
    const agent = await connectAsync(rig.mqttUrl, { clientId: 'agent-berlin-1-spy' });
    const received: string[] = [];
    agent.on('message', (_topic, payload) => received.push(payload.toString()));
    await agent.subscribeAsync(topics.jobs('agent-berlin-1'), { qos: 1 });
    const create = async () =>
      (await (
        await cloud.call('POST', '/v1/jobs', {
          token: cloud.tokens.operatorBerlin,
          body: { agentId: 'agent-berlin-1', encodingId: 'read-version' },
        })
      ).json()) as { jobId: string; state: string };
    const first = await create();
    expect(first.state).toBe('SENT');
    for (let i = 0; i < 100 && received.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k as never, 'ES256')] as const)),
    );
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await verifyJobEnvelope(received[0] ?? '', { keys, audience: 'agent-berlin-1', now })).job.id,
    ).toBe(first.jobId);

    failing = true;
    const second = await create();
    expect(second.state).toBe('QUEUED');
    // Marked SENT before the publish, put back when it failed: the history says so.
    expect((await cloud.cloud.jobs.get(second.jobId))?.history.map((h) => h.state)).toEqual([
      'QUEUED',
      'SENT',
      'QUEUED',
    ]);
    failing = false;
    const publication = cloud.cloud.publication;
    if (!publication) throw new Error('no publication');
    expect(await dispatchQueuedJobs(publication)).toBe(1);
    expect((await cloud.cloud.jobs.get(second.jobId))?.state).toBe('SENT');
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toHaveLength(2);
    // A cancel of a job the agent holds goes out on the next tick, once.
    const cancelled = await cloud.call('POST', `/v1/jobs/${second.jobId}/cancel`, {
      token: cloud.tokens.operatorBerlin,
    });
    expect(cancelled.status).toBe(202);
    expect(await dispatchQueuedJobs(publication)).toBe(1);
    expect(await dispatchQueuedJobs(publication)).toBe(0);
    for (let i = 0; i < 100 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(signedMessageType(received[2] ?? '')).toBe(JOB_CANCEL_TYPE);
    expect((await cloud.cloud.jobs.get(second.jobId))?.cancel?.sentAt).toBeDefined();
    await agent.endAsync();
  });
});
