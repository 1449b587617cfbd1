import { decryptSecrets, topics, verifyJobEnvelope } from '@cardfleet/shared';
import { generateKeyPair, importJWK } from 'jose';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import { addEnrolledAgent, publicationDeps, pushExample, startCloud } from '../support/cloud-server';

const rig = inject('rig');

describe('publishing signed jobs over MQTT (Mosquitto)', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let agentKey: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    cloud = await startCloud();
    await pushExample(cloud, 'change-key');
    agentKey = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', agentKey.publicKey);
  });
  afterAll(() => cloud.close());

  it('signs the envelope with a growing seq, encrypts secrets to the agent, and marks the job SENT', async () => {
    const agent = await connectAsync(rig.mqttUrl, { clientId: 'agent-berlin-1' });
    const received: string[] = [];
    agent.on('message', (_topic, payload) => received.push(payload.toString()));
    await agent.subscribeAsync(topics.jobs('agent-berlin-1'), { qos: 1 });
    const publisher = await mqttPublisher(rig.mqttUrl, { clientId: 'cloud' });
    const secret = '00112233445566778899AABBCCDDEEFF';
    const jobIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await cloud.call('POST', '/v1/jobs', {
        token: cloud.tokens.operatorBerlin,
        body: {
          agentId: 'agent-berlin-1',
          encodingId: 'change-key',
          fields: { NEW_KEY: secret, ADMIN_KEY: secret },
        },
      });
      jobIds.push(((await created.json()) as { jobId: string }).jobId);
    }
    const deps = publicationDeps(cloud, publisher);
    for (const jobId of jobIds) expect((await publishJob(deps, jobId)).bytes).toBeLessThan(126 * 1024);
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    // The agent side: pinned key set from the well-known endpoint, verification over the raw bytes.
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k as never, 'ES256')] as const)),
    );
    const claims = await Promise.all(
      received.map((raw) =>
        verifyJobEnvelope(raw, { keys, audience: 'agent-berlin-1', now: Math.floor(Date.now() / 1000) }),
      ),
    );
    expect(claims.map((c) => c.seq)).toEqual([1, 2]);
    expect(claims.map((c) => c.job.id)).toEqual(jobIds);
    expect(received.join('')).not.toContain(secret);
    const secrets = await decryptSecrets(claims[0]?.job.secrets ?? '', agentKey.privateKey);
    expect(secrets).toEqual({ NEW_KEY: secret, ADMIN_KEY: secret });
    expect(claims[0]?.job.bundle.map((f) => f.name).sort()).toEqual([
      'change_key.apdu',
      'encoding.ini',
      'read_version.apdu',
    ]);
    expect((await cloud.cloud.jobs.get(jobIds[0] ?? ''))?.state).toBe('SENT');
    await publisher.close();
    await agent.endAsync();
  });
});
