import { type JobResult, PREVIOUS_WIRE_VERSION, signResultMessage, toWireMessages } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveFromRule } from '../../cloud/src/lambda/result-rule';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { resultSigner } from '../../edge-agent/src/daemon/result-signing';
import { addEnrolledAgent, publicationDeps, pushExample, startCloud } from '../support/cloud-server';

// The AWS path of results: IoT topic rule → ingestion Lambda handler (dynalite behind
// it). A result larger than IoT Core's 128 KB arrives as numbered parts, possibly at
// different Lambda instances and out of order; it is verified and acknowledged once whole.
describe('results through the IoT rule handler, in numbered parts', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let agentKey: Awaited<ReturnType<typeof generateKeyPair>>;
  const acks: { topic: string; payload: string }[] = [];
  const publisher = {
    publish: async (topic: string, payload: Uint8Array) => {
      acks.push({ topic, payload: new TextDecoder().decode(payload) });
    },
    close: async () => undefined,
  };
  beforeAll(async () => {
    cloud = await startCloud();
    await pushExample(cloud, 'read-version');
    agentKey = await generateKeyPair('ES256', { extractable: true });
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', agentKey.publicKey);
  });
  afterAll(() => cloud.close());

  const sentJob = async () => {
    const created = await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: 'agent-berlin-1', encodingId: 'read-version' },
    });
    const { jobId } = (await created.json()) as { jobId: string };
    await publishJob(publicationDeps(cloud, publisher), jobId);
    return jobId;
  };
  const bigResult = (jobId: string): JobResult => ({
    jobId,
    attempt: 1,
    agentId: 'agent-berlin-1',
    status: 'SUCCEEDED',
    finishedAt: new Date().toISOString(),
    applications: [
      {
        name: 'Application_1',
        kind: 'apdu',
        status: 'SUCCEEDED',
        outputs: {},
        apdus: Array.from({ length: 2000 }, (_, i) => ({
          line: i + 1,
          command: '00B0000000',
          sw: '9000',
          meaning: 'normal processing',
          responseLength: 256,
          durationMs: 0.12,
        })),
      },
    ],
  });
  const events = (message: string, key: string) =>
    toWireMessages(key, message).map((wire) => ({
      agentId: 'agent-berlin-1',
      kind: 'results',
      payload: Buffer.from(wire).toString('base64'),
    }));

  it('joins the parts (reversed, one twice), verifies the signature, ingests once and acknowledges once', async () => {
    const jobId = await sentJob();
    const result = bigResult(jobId);
    // A result in the previous wire version (no `v`): it is acknowledged in that version.
    const message = await signResultMessage(
      result,
      resultSigner('agent-berlin-1', agentKey.privateKey),
      PREVIOUS_WIRE_VERSION,
    );
    const parts = events(message, `${jobId}:1`);
    expect(Buffer.byteLength(message)).toBeGreaterThan(128 * 1024);
    expect(parts.length).toBeGreaterThan(2);
    const before = acks.length;
    const [last, ...rest] = [...parts].reverse();
    for (const event of [...rest, rest[0], last]) {
      if (event) await receiveFromRule(event, cloud.cloud, publisher);
    }
    const newAcks = acks.slice(before).filter((a) => a.topic.endsWith('/acks'));
    expect(newAcks).toEqual([
      { topic: 'cardfleet/agents/agent-berlin-1/acks', payload: JSON.stringify({ jobId, attempt: 1 }) },
    ]);
    const job = (await (
      await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.auditor })
    ).json()) as {
      state: string;
      result: { applications: { apdus: unknown[] }[] };
    };
    expect(job.state).toBe('SUCCEEDED');
    expect(job.result.applications[0]?.apdus).toHaveLength(2000);
  });

  it('refuses a result signed by another key: no ingestion, no acknowledgement', async () => {
    const jobId = await sentJob();
    const result = bigResult(jobId);
    const stranger = await generateKeyPair('ES256');
    const message = await signResultMessage(result, resultSigner('agent-berlin-1', stranger.privateKey));
    const before = acks.filter((a) => a.topic.endsWith('/acks')).length;
    const parts = events(message, `${jobId}:1`);
    for (const event of parts.slice(0, -1)) await receiveFromRule(event, cloud.cloud, publisher);
    const lastPart = parts.at(-1);
    if (!lastPart) throw new Error('no parts');
    await expect(receiveFromRule(lastPart, cloud.cloud, publisher)).rejects.toMatchObject({
      code: 'RESULT_SIGNATURE',
    });
    expect(acks.filter((a) => a.topic.endsWith('/acks')).length).toBe(before);
    const job = (await (
      await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.auditor })
    ).json()) as {
      state: string;
    };
    expect(job.state).toBe('SENT');
  });

  it("records presence and progress from the rule, and ignores topics that are not the agents' own", async () => {
    const jobId = await sentJob();
    const event = (kind: string, body: unknown) => ({
      agentId: 'agent-berlin-1',
      kind,
      payload: Buffer.from(JSON.stringify(body)).toString('base64'),
    });
    const at = new Date().toISOString();
    await receiveFromRule(
      event('presence', {
        status: 'online',
        at,
        readers: [{ name: 'R', cardPresent: false, atr: null, cardNames: [] }],
      }),
      cloud.cloud,
      publisher,
    );
    await receiveFromRule(
      event('progress', {
        jobId,
        attempt: 1,
        application: 'A',
        applicationIndex: 0,
        applicationCount: 1,
        apdusDone: 0,
        apdusTotal: 2,
        at,
      }),
      cloud.cloud,
      publisher,
    );
    await receiveFromRule(event('jobs', { anything: true }), cloud.cloud, publisher);
    const agents = (await (await cloud.call('GET', '/v1/agents', { token: cloud.tokens.admin })).json()) as {
      items: { id: string; presence?: { status: string } }[];
    };
    expect(agents.items.find((a) => a.id === 'agent-berlin-1')?.presence?.status).toBe('online');
    const job = (await (
      await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.auditor })
    ).json()) as {
      state: string;
    };
    expect(job.state).toBe('IN_PROGRESS');
  });
});
