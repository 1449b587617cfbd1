import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CryptoKey, importJWK, type JWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  v1ResultMessage,
  v1VerifyCancel,
  v1VerifyEnvelope,
  v1VerifyKeySet,
} from '../../../test/fixtures/wire-v1/v1-rules';
import { composeCloud } from '../compose';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { receiveAgentMessage } from '../publishing/agent-messages';
import { publishCancel, publishJob } from '../publishing/job-publication';
import { MemoryTable } from '../storage/memory-table';

// An agent from before wire versioning (v1, docs/messaging.md "Versions") against
// today's cloud: its recorded messages are taken, and the cloud writes to it in v1 —
// which the v1 agent's own rules (test/fixtures/wire-v1/v1-rules.ts) accept.
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/wire-v1');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8').trim();
const agentKey = JSON.parse(fixture('agent-key.json')) as {
  agentId: string;
  privateJwk: JWK;
  publicJwk: JWK;
};
const AGENT = agentKey.agentId;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('a v1 agent against the current cloud', () => {
  let cloud: ReturnType<typeof composeCloud>;
  let signer: Awaited<ReturnType<typeof localSigner>>;
  let sent: string[];
  const publication = () => {
    if (!cloud.publication) throw new Error('the cloud was composed without publication');
    return cloud.publication;
  };

  beforeEach(async () => {
    sent = [];
    signer = await localSigner('k1');
    cloud = composeCloud({
      releaseGate: 'open', // jobs on pushed drafts, as before releases (docs/releases.md)
      table: new MemoryTable(),
      tokens: { verify: () => Promise.reject(new Error('this test makes no API calls')) },
      keyWrapper: localKeyWrapper(new Uint8Array(32).fill(7)),
      signer,
      publication: {
        publisher: {
          publish: async (_topic, payload) => void sent.push(new TextDecoder().decode(payload)),
          close: async () => undefined,
        },
        issuer: 'cardfleet-cloud',
      },
    });
    const dir = join(import.meta.dirname, '../../../examples/read-version');
    const files = readdirSync(dir).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
    await cloud.encodings.push('read-version', { files }, { sub: 'alice' });
    const { enrolmentCode } = await cloud.agents.add(AGENT, 'berlin', 'alice');
    await cloud.agents.enrol(AGENT, enrolmentCode, agentKey.publicJwk);
  });

  const sentJob = async () => {
    const pushed = await cloud.encodings.get('read-version');
    if (!pushed) throw new Error('no encoding');
    const job = await cloud.jobs.create(
      {
        agentId: AGENT,
        office: 'berlin',
        encoding: { id: 'read-version', version: pushed.version, sha256: pushed.sha256 },
        secretFieldNames: [],
        fields: {},
      },
      'otto',
    );
    await publishJob(publication(), job.jobId);
    return job.jobId;
  };

  it('records its v1 presence and serves it v1 envelopes and cancels that its rules accept', async () => {
    await receiveAgentMessage(cloud, AGENT, 'presence', fixture('presence.json'));
    expect((await cloud.agents.get(AGENT))?.presence).toEqual(JSON.parse(fixture('presence.json')));
    const jobId = await sentJob();
    const claims = await v1VerifyEnvelope(sent[0] ?? '', signer.publicKey, AGENT, nowSeconds());
    expect(claims.jti).toBe(`${jobId}:1`);
    await cloud.jobs.requestCancel(jobId, 'otto');
    await publishCancel(publication(), jobId);
    expect(await v1VerifyCancel(sent[1] ?? '', signer.publicKey)).toMatchObject({
      cancel: { jobId, attempt: 1 },
    });
  });

  it('serves v1 to an agent that never announced a version, and v2 only to one that announced v2', async () => {
    await sentJob();
    await expect(
      v1VerifyEnvelope(sent[0] ?? '', signer.publicKey, AGENT, nowSeconds()),
    ).resolves.toBeDefined();
    const v2Presence = { ...JSON.parse(fixture('presence.json')), v: 2 };
    await receiveAgentMessage(cloud, AGENT, 'presence', JSON.stringify(v2Presence));
    await sentJob();
    await expect(v1VerifyEnvelope(sent[1] ?? '', signer.publicKey, AGENT, nowSeconds())).rejects.toThrow();
  });

  it("moves a job on the v1 agent's progress and result, and acknowledges the result in v1", async () => {
    const jobId = await sentJob();
    const progress = { ...JSON.parse(fixture('progress.json')), jobId };
    await receiveAgentMessage(cloud, AGENT, 'progress', JSON.stringify(progress));
    expect((await cloud.jobs.get(jobId))?.state).toBe('IN_PROGRESS');
    const privateKey = await importJWK(agentKey.privateJwk, 'ES256');
    const result = {
      jobId,
      attempt: 1,
      agentId: AGENT,
      status: 'SUCCEEDED',
      finishedAt: new Date().toISOString(),
      applications: [],
    };
    const ack = await receiveAgentMessage(
      cloud,
      AGENT,
      'results',
      await v1ResultMessage(result, privateKey as CryptoKey),
    );
    expect(JSON.stringify(ack)).toBe(JSON.stringify({ jobId, attempt: 1 }));
    expect((await cloud.jobs.get(jobId))?.state).toBe('SUCCEEDED');
  });

  it('takes a recorded v1 rejection signed by the agent and audits it', async () => {
    const ack = await receiveAgentMessage(cloud, AGENT, 'results', fixture('result-rejected.json'));
    expect(ack).toEqual({ jobId: 'envelope:5d41402abc4b2a76', attempt: 1 });
    expect((await cloud.audit.entries()).map((e) => e.action)).toContain('envelope.rejected');
  });

  it('serves the key set in v1 unless the agent asks for v2', async () => {
    const keySet = async (query: string) =>
      (await cloud.app.fetch(new Request(`http://cloud/.well-known/cardfleet-keyset.jws${query}`))).text();
    expect((await v1VerifyKeySet(await keySet(''), signer.publicKey)).keys[0]?.kid).toBe('k1');
    await expect(v1VerifyKeySet(await keySet('?v=2'), signer.publicKey)).rejects.toThrow();
  });
});
