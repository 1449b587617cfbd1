import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgressMessage, type ProgressEvent, signBrokerLogin, topics } from '@cardfleet/shared';
import { exportJWK } from 'jose';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../cloud/src/node/start-local-cloud';
import { exampleFiles } from '../support/test-cloud';

/**
 * Progress through the real local stack without a card: dynalite, the embedded Aedes
 * broker and the ingest subscriber. The test plays the agent: it logs in as agent-1 and
 * publishes progress events (QoS 0) as the agent daemon does; GET /v1/jobs/:id serves
 * the latest (docs/messaging.md, "Progress").
 */
describe('progress an agent publishes', () => {
  it('is served with its job: the latest event, the PIN wait, never an audit entry', async () => {
    const local = await startLocalCloud({
      dataDir: mkdtempSync(join(tmpdir(), 'cardfleet-progress-')),
      port: 0,
      embeddedBroker: {},
    });
    try {
      const admin = await local.issuer.issue({ sub: 'alice', role: 'admin' });
      const api = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${local.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${admin}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return (await response.json()) as Record<string, unknown>;
      };
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const added = await api('POST', '/v1/agents', { id: 'agent-1', office: 'berlin' });
      const { kty, crv, x, y } = await exportJWK(publicKey);
      await fetch(`${local.url}/v1/agents/agent-1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: added.enrolmentCode, publicJwk: { kty, crv, x, y } }),
      });
      await api('POST', '/v1/encodings', { id: 'read-version', files: exampleFiles('read-version') });
      const { jobId } = (await api('POST', '/v1/jobs', {
        agentId: 'agent-1',
        encodingId: 'read-version',
      })) as {
        jobId: string;
      };
      const agent = await connectAsync(local.mqttUrl ?? '', {
        clientId: 'agent-1',
        username: 'agent-1',
        password: signBrokerLogin(privateKey, {
          agentId: 'agent-1',
          audience: topics.root,
          now: Math.floor(Date.now() / 1000),
        }),
        reconnectPeriod: 0,
      });
      const publish = (seq: number, apdusDone: number, phase?: ProgressEvent['phase']) =>
        agent.publishAsync(
          topics.progress('agent-1'),
          buildProgressMessage({
            jobId,
            attempt: 1,
            application: 'Application_1',
            applicationIndex: 0,
            applicationCount: 1,
            apdusDone,
            apdusTotal: 2,
            ...(phase ? { phase } : {}),
            seq,
            at: new Date(Date.now() + seq).toISOString(),
          }),
          { qos: 0 },
        );
      const jobWhen = async (ready: (job: Record<string, unknown>) => boolean) => {
        for (let tries = 0; tries < 100; tries += 1) {
          const job = await api('GET', `/v1/jobs/${jobId}`);
          if (ready(job)) return job;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`job ${jobId} never showed the expected progress`);
      };
      const seqOf = (job: Record<string, unknown>) => (job.progress as { seq?: number } | undefined)?.seq;
      await publish(1, 0);
      expect(await jobWhen((job) => seqOf(job) === 1)).toMatchObject({
        state: 'IN_PROGRESS',
        progress: { attempt: 1, application: 'Application_1', apdusDone: 0, apdusTotal: 2, phase: 'running' },
      });
      await publish(2, 1, 'waiting-for-pin');
      const waiting = await jobWhen((job) => seqOf(job) === 2);
      expect(waiting.progress).toMatchObject({ phase: 'waiting-for-pin', apdusDone: 1 });
      expect(waiting.progress).toHaveProperty('receivedAt');
      expect(waiting.progress).toHaveProperty('at');
      const audit = (await api('GET', '/v1/audit?limit=100')) as { items: { action: string }[] };
      // The move to IN_PROGRESS is audited once; the events themselves never are.
      expect(audit.items.map((e) => e.action).filter((a) => a.includes('progress'))).toEqual([
        'job.in_progress',
      ]);
      await agent.endAsync(true);
    } finally {
      await local.close();
    }
  });
});
