import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, importJWK, type JWK } from 'jose';
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

describe('a job end to end: API → signed envelope over Mosquitto → agent → card (pcscd + vpcd) → signed result → ingestion', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let readers: ReaderRig;
  let daemon: AgentDaemon;
  let outbox: ResultOutbox;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    cloud = await startCloud();
    const files = readdirSync(join(examples, 'read-version')).map((name) => ({
      name,
      base64: readFileSync(join(examples, 'read-version', name)).toString('base64'),
    }));
    await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: { id: 'read-version', files },
    });
    const added = (await (
      await cloud.call('POST', '/v1/agents', {
        token: cloud.tokens.admin,
        body: { id: 'agent-berlin-1', office: 'berlin' },
      })
    ).json()) as { enrolmentCode: string };
    // The agent's key pair (ES256 signatures and ECDH-ES secrets share it).
    const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = await exportJWK(agentKey.publicKey);
    await cloud.call('POST', '/v1/agents/agent-berlin-1/enrol', {
      body: { code: added.enrolmentCode, publicJwk: { kty, crv, x, y } },
    });
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: (JWK & { kid: string })[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
    );

    readers = await pcscdRig.create();
    await readers.insert(loadCardProfile(join(examples, 'cards/cardos.json')));
    const state = mkdtempSync(join(tmpdir(), 'cardfleet-agent-'));
    outbox = new ResultOutbox(join(state, 'outbox'));
    daemon = new AgentDaemon({
      agentId: 'agent-berlin-1',
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
    closers.push(
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
    const created = (await (
      await cloud.call('POST', '/v1/jobs', {
        token: cloud.tokens.operatorBerlin,
        body: { agentId: 'agent-berlin-1', encodingId: 'read-version' },
      })
    ).json()) as { jobId: string };
    const publisher = await mqttPublisher(rig.mqttUrl, { clientId: 'cardfleet-cloud-publish' });
    closers.unshift(() => publisher.close());
    await publishJob(
      {
        table: cloud.db.table,
        jobs: cloud.cloud.jobs,
        agents: cloud.cloud.agents,
        encodings: cloud.cloud.encodings,
        keyWrapper: cloud.keyWrapper,
        signer: cloud.signer,
        publisher,
        issuer: 'cardfleet-cloud',
        nowSeconds: () => Math.floor(Date.now() / 1000),
      },
      created.jobId,
    );
    let job: {
      state: string;
      result?: {
        card?: { atr: string };
        applications: { responseCodes?: string; outputs: Record<string, string> }[];
      };
    } = { state: 'QUEUED' };
    for (let i = 0; i < 200 && job.state !== 'SUCCEEDED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await (
        await cloud.call('GET', `/v1/jobs/${created.jobId}`, { token: cloud.tokens.operatorBerlin })
      ).json()) as typeof job;
    }
    expect(job.state).toBe('SUCCEEDED');
    expect(job.result?.card?.atr).toBe('3BD218008131FE58C90217');
    expect(job.result?.applications[0]).toMatchObject({
      responseCodes: '9000,9000',
      outputs: { CARDOS_VERSION: 'C903' },
    });
    for (let i = 0; i < 100 && outbox.pending().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(outbox.pending()).toEqual([]);
    const audit = (await (
      await cloud.call('GET', '/v1/audit?agentId=agent-berlin-1', { token: cloud.tokens.auditor })
    ).json()) as { items: { action: string; details?: { agentSignature?: string } }[] };
    const resultEntries = audit.items.filter((e) => e.action === 'job.result');
    expect(resultEntries).toHaveLength(1);
    expect(resultEntries[0]?.details?.agentSignature).toMatch(/^ey/);
  });
});
