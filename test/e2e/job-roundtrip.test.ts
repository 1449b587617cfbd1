import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobClaims, signJobEnvelope, topics, verifyJobEnvelope } from '@cardfleet/shared';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import { AgentDaemon } from '../../edge-agent/src/daemon/agent-daemon';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { ResultOutbox } from '../../edge-agent/src/daemon/result-outbox';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { startCloud } from '../support/cloud-server';
import { scriptedPrompter } from '../support/prompters';
import { pcscdRig, type ReaderRig } from '../support/reader-fixtures';

const rig = inject('rig');
const examples = join(import.meta.dirname, '../../examples');
const AGENT = 'agent-berlin-1';

describe('jobs end to end: API → signed envelope over Mosquitto → agent → card (pcscd + vpcd) → signed result → ingestion', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let readers: ReaderRig;
  let daemon: AgentDaemon;
  let outbox: ResultOutbox;
  let publisher: Awaited<ReturnType<typeof mqttPublisher>>;
  let apdus = 0;
  const envelopes: string[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  const publication = () => ({
    table: cloud.db.table,
    jobs: cloud.cloud.jobs,
    agents: cloud.cloud.agents,
    encodings: cloud.cloud.encodings,
    keyWrapper: cloud.keyWrapper,
    signer: cloud.signer,
    publisher,
    issuer: 'cardfleet-cloud',
    nowSeconds: () => Math.floor(Date.now() / 1000),
  });
  const api = async <T>(method: string, path: string, token: string, body?: unknown) =>
    (await (await cloud.call(method, path, { token, ...(body === undefined ? {} : { body }) })).json()) as T;
  const auditItems = () =>
    api<{ items: { action: string; details?: Record<string, unknown> }[] }>(
      'GET',
      `/v1/audit?agentId=${AGENT}&limit=1000`,
      cloud.tokens.auditor,
    ).then((r) => r.items);
  const until = async (what: string, condition: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 300; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${what} did not happen`);
  };

  beforeAll(async () => {
    cloud = await startCloud();
    const files = readdirSync(join(examples, 'read-version')).map((name) => ({
      name,
      base64: readFileSync(join(examples, 'read-version', name)).toString('base64'),
    }));
    await api('POST', '/v1/encodings', cloud.tokens.admin, { id: 'read-version', files });
    const added = await api<{ enrolmentCode: string }>('POST', '/v1/agents', cloud.tokens.admin, {
      id: AGENT,
      office: 'berlin',
    });
    // One P-256 key pair serves the agent's ES256 result signatures and ECDH-ES secrets.
    const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = await exportJWK(agentKey.publicKey);
    await cloud.call('POST', `/v1/agents/${AGENT}/enrol`, {
      body: { code: added.enrolmentCode, publicJwk: { kty, crv, x, y } },
    });
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: (JWK & { kid: string })[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
    );

    readers = await pcscdRig.create();
    await readers.insert(loadCardProfile(join(examples, 'cards/cardos.json')), 0, () => {
      apdus++;
    });
    const state = mkdtempSync(join(tmpdir(), 'cardfleet-agent-'));
    outbox = new ResultOutbox(join(state, 'outbox'));
    daemon = new AgentDaemon({
      agentId: AGENT,
      mqttUrl: rig.mqttUrl,
      keys,
      privateKey: agentKey.privateKey,
      ledger: new JobLedger(join(state, 'ledger.jsonl')),
      outbox,
      readers: readers.port,
      defaultReader: readers.reader,
      prompter: scriptedPrompter([]),
      clock: systemClock,
    });
    await daemon.start();
    const subscriber = await subscribeResults(rig.mqttUrl, {
      agents: cloud.cloud.agents,
      ingest: cloud.cloud.ingest,
    });
    publisher = await mqttPublisher(rig.mqttUrl, { clientId: 'cardfleet-cloud-publish' });
    // A witness of what the broker delivered to the agent, to replay it later.
    const spy = await connectAsync(rig.mqttUrl, { clientId: 'spy' });
    spy.on('message', (_topic, payload) => envelopes.push(payload.toString()));
    await spy.subscribeAsync(topics.jobs(AGENT), { qos: 1 });
    closers.push(
      () => spy.endAsync(),
      () => publisher.close(),
      () => subscriber.endAsync(),
      () => daemon.stop(),
      () => readers.close(),
      () => cloud.close(),
    );
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('runs the job on the card and stores the signed result, acknowledged and audited', async () => {
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await publishJob(publication(), jobId);
    type JobView = {
      state: string;
      result?: {
        card?: { atr: string };
        applications: { responseCodes?: string; outputs: Record<string, string> }[];
      };
    };
    let job: JobView = { state: 'QUEUED' };
    await until('the job to succeed', async () => {
      job = await api<JobView>('GET', `/v1/jobs/${jobId}`, cloud.tokens.operatorBerlin);
      return job.state === 'SUCCEEDED';
    });
    expect(job.result?.card?.atr).toBe('3BD218008131FE58C90217');
    expect(job.result?.applications[0]).toMatchObject({
      responseCodes: '9000,9000',
      outputs: { CARDOS_VERSION: 'C903' },
    });
    await until('the acknowledgement', () => outbox.pending().length === 0);
    const results = (await auditItems()).filter((e) => e.action === 'job.result');
    expect(results).toHaveLength(1);
    expect(results[0]?.details?.agentSignature).toMatch(/^ey/);
    expect(apdus).toBe(2);
  });

  it('answers a replayed envelope DUPLICATE: one execution, one result, one audit entry', async () => {
    const before = apdus;
    await publisher.publish(topics.jobs(AGENT), new TextEncoder().encode(envelopes.at(-1) ?? ''));
    await until('the replay to be handled', async () => {
      await daemon.idle();
      return envelopes.length >= 2;
    });
    await daemon.idle();
    await until('the acknowledgement', () => outbox.pending().length === 0);
    expect(apdus).toBe(before);
    expect((await auditItems()).filter((e) => e.action === 'job.result')).toHaveLength(1);
  });

  it('rejects forged, foreign-key, misaddressed, expired and out-of-order envelopes before any APDU', async () => {
    const before = apdus;
    const now = Math.floor(Date.now() / 1000);
    const valid = await verifyJobEnvelope(envelopes[0] ?? '', {
      keys: new Map([[cloud.signer.kid, cloud.signer.publicKey]]),
      audience: AGENT,
      now,
    });
    const other = await generateKeyPair('ES256');
    const ours = { kid: cloud.signer.kid, privateKey: cloud.signer.privateKey };
    const fresh = (jobId: string, extra: Partial<JobClaims> = {}): JobClaims => ({
      ...valid,
      jti: `${jobId}:1`,
      job: { ...valid.job, id: jobId },
      seq: valid.seq + 10,
      ...extra,
    });
    const bad: [string, string][] = [
      [
        'ENVELOPE_BAD_SIGNATURE',
        await signJobEnvelope(fresh('forged'), { kid: cloud.signer.kid, privateKey: other.privateKey }),
      ],
      [
        'ENVELOPE_UNKNOWN_KID',
        await signJobEnvelope(fresh('unknown-kid'), { kid: 'someone-else', privateKey: other.privateKey }),
      ],
      ['ENVELOPE_WRONG_AUDIENCE', await signJobEnvelope(fresh('wrong-aud', { aud: 'agent-paris-1' }), ours)],
      [
        'ENVELOPE_EXPIRED',
        await signJobEnvelope(fresh('expired', { nbf: now - 3600, exp: now - 600 }), ours),
      ],
      ['ENVELOPE_SEQ_NOT_GROWING', await signJobEnvelope(fresh('old-seq', { seq: valid.seq }), ours)],
    ];
    for (const [, raw] of bad) await publisher.publish(topics.jobs(AGENT), new TextEncoder().encode(raw));
    await until(
      'every rejection audited',
      async () => (await auditItems()).filter((e) => e.action === 'envelope.rejected').length === bad.length,
    );
    const reasons = (await auditItems())
      .filter((e) => e.action === 'envelope.rejected')
      .map((e) => String(e.details?.reason));
    expect(reasons.sort()).toEqual(bad.map(([code]) => code).sort());
    expect(apdus).toBe(before); // the card saw nothing
    await until('the outbox to drain', () => outbox.pending().length === 0);
  });
});
