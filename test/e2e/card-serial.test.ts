import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cloud/src/cli/main';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { AGENT, startSystem } from '../support/e2e-system';

/** The serial examples/cards/cardos.json answers to GET DATA 0181. */
const SERIAL = '0A1B2C3D4E5F6071';

// Card identity through the whole chain (docs/encoding-format.md, "Card serial"): an
// APDU-only encoding reads the serial into its CardSerialField on the card in the vpcd
// reader; the agent names it in the signed result; the cloud files the job under it.
describe('an APDU job’s card serial, read by the encoding, through API → agent → card → ingestion', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ broker: 'aedes', encodings: ['read-serial'] });
  });
  afterAll(() => system.close());

  const run = async (encodingId: string) => {
    const { jobId } = await system.api<{ jobId: string }>(
      'POST',
      '/v1/jobs',
      system.cloud.tokens.operatorBerlin,
      {
        agentId: AGENT,
        encodingId,
      },
    );
    await publishJob(system.publication(), jobId);
    await system.jobIn(jobId, 'SUCCEEDED');
    return jobId;
  };

  it('is found by GET /v1/jobs?cardSerial= and named in the job.result audit entry', async () => {
    const jobId = await run('read-serial');
    const job = await system.api<{ result: { card: Record<string, unknown> } }>(
      'GET',
      `/v1/jobs/${jobId}`,
      system.cloud.tokens.auditor,
    );
    expect(job.result.card).toMatchObject({ serial: SERIAL, serialSource: 'encoding-field' });
    const bySerial = await system.api<{ items: { jobId: string }[] }>(
      'GET',
      `/v1/jobs?cardSerial=${SERIAL}`,
      system.cloud.tokens.auditor,
    );
    expect(bySerial.items.map((j) => j.jobId)).toContain(jobId);
    const audit = await system.api<{ items: { action: string; details?: Record<string, unknown> }[] }>(
      'GET',
      `/v1/audit?agentId=${AGENT}&limit=1000`,
      system.cloud.tokens.auditor,
    );
    const entry = audit.items.find((e) => e.action === 'job.result' && e.details?.jobId === jobId);
    expect(entry?.details).toMatchObject({ cardSerial: SERIAL });
    // The auditor's `cardfleet audit prove --card` finds it, with an inclusion proof
    // against a signed checkpoint.
    await system.api('POST', '/v1/audit/checkpoint', system.cloud.tokens.admin);
    let out = '';
    const code = await main(['audit', 'prove', '--card', SERIAL], {
      env: { CARDFLEET_API_URL: system.cloud.base, CARDFLEET_TOKEN: system.cloud.tokens.auditor },
      stdout: (text) => {
        out += text;
      },
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    const proof = JSON.parse(out) as {
      entries: { entry: { action: string; details?: { jobId?: string } }; proof: string[] }[];
    };
    expect(proof.entries.map((e) => [e.entry.action, e.entry.details?.jobId])).toContainEqual([
      'job.result',
      jobId,
    ]);
  });

  it('marks a card the encoding reads no serial from with its ATR and serialSource none', async () => {
    const jobId = await run('read-version');
    const job = await system.api<{ result: { card: Record<string, unknown> } }>(
      'GET',
      `/v1/jobs/${jobId}`,
      system.cloud.tokens.auditor,
    );
    expect(job.result.card).toMatchObject({ atr: '3BD218008131FE58C90217', serialSource: 'none' });
    expect(job.result.card).not.toHaveProperty('serial');
  });
});
