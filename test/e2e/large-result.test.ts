import { MAX_MQTT_MESSAGE_BYTES, topics } from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { AGENT, startSystem } from '../support/e2e-system';

// A result too large for one IoT Core message (the trace of a 1,500-APDU script) goes
// as numbered parts and is reassembled by the cloud. The test's own Mosquitto refuses
// packets over 128 KB as IoT Core does, so a whole message would not get through.
const APDUS = 1500;

describe.each(['own-mosquitto', 'aedes'] as const)('a result larger than 128 KB (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ broker });
    const script = Array.from({ length: APDUS }, () => 'RAW:00CA018202').join('\n');
    const files = {
      'encoding.ini': 'ApplicationList=Long\n[Long]\nApduFile=long.apdu\n',
      'long.apdu': `# GET DATA (version), many times: a long trace\n${script}\n`,
    };
    const pushed = await system.cloud.call('POST', '/v1/encodings', {
      token: system.cloud.tokens.admin,
      body: {
        id: 'long-script',
        files: Object.entries(files).map(([name, text]) => ({
          name,
          base64: Buffer.from(text).toString('base64'),
        })),
      },
    });
    expect(pushed.status).toBe(201);
  });
  afterAll(() => system.close());

  it('travels in numbered parts, each within the limit, and is stored whole once', async () => {
    const { api, cloud, until } = system;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'long-script',
    });
    await publishJob(system.publication(), jobId);
    const job = await system.jobIn<{ state: string; result?: { applications: { apdus: unknown[] }[] } }>(
      jobId,
      'SUCCEEDED',
    );
    expect(job.result?.applications[0]?.apdus).toHaveLength(APDUS);
    await until('the acknowledgement', () => system.outbox.pending().length === 0);
    const onWire = system.traffic.filter((m) => m.topic === topics.results(AGENT));
    const parts = onWire.map(
      (m) => JSON.parse(m.payload.toString()) as { part?: { index: number; total: number } },
    );
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.every((p) => p.part !== undefined && p.part.total === parts[0]?.part?.total)).toBe(true);
    for (const m of onWire) expect(m.payload.length).toBeLessThanOrEqual(MAX_MQTT_MESSAGE_BYTES);
    const audit = await api<{ items: { action: string; details?: { jobId?: string } }[] }>(
      'GET',
      `/v1/audit?agentId=${AGENT}&limit=1000`,
      cloud.tokens.auditor,
    );
    expect(audit.items.filter((e) => e.action === 'job.result' && e.details?.jobId === jobId)).toHaveLength(
      1,
    );
    expect(system.counter.apdus).toBe(APDUS);
  });
});
