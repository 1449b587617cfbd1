import { generateKeyPairSync } from 'node:crypto';
import { type JobResult, localJwsSigner, signResultMessage } from '@cardfleet/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';

// Revocation end to end on the cloud's side (docs/security.md, "Revocation"): the agent's
// open jobs end, what it signs afterwards is refused and audited, the broker is told.
const AGENT = 'agent-berlin-1';
const OTHER = 'agent-berlin-2';

describe('revoking an agent', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let told: { agentId: string; openJobs: string[] }[];
  const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signed = (result: JobResult) => signResultMessage(result, localJwsSigner(AGENT, agentKey.privateKey));
  const resultFor = (jobId: string, attempt = 1): JobResult => ({
    jobId,
    attempt,
    agentId: AGENT,
    status: 'SUCCEEDED',
    finishedAt: '2026-12-06T03:00:00.000Z',
    applications: [],
  });
  const newJob = async (agentId = AGENT) => {
    const answer = await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId, encodingId: 'read-version' },
    });
    return ((await answer.json()) as { jobId: string }).jobId;
  };
  const job = async (jobId: string) => {
    const found = await cloud.cloud.jobs.get(jobId);
    if (!found) throw new Error(`job ${jobId} is gone`);
    return found;
  };
  const audits = async (action: string) =>
    (await cloud.cloud.audit.entries()).filter((e) => e.action === action);

  beforeEach(async () => {
    told = [];
    cloud = await memoryCloud({
      // What the broker is told, and what was still open when it was.
      onAgentRevoked: async (agentId) => {
        const open = await cloud.cloud.jobs.listOpen();
        told.push({ agentId, openJobs: open.filter((j) => j.agentId === agentId).map((j) => j.jobId) });
      },
    });
    await pushExample(cloud, 'read-version');
    await addEnrolledAgent(cloud, AGENT, 'berlin', agentKey.publicKey);
    await addEnrolledAgent(
      cloud,
      OTHER,
      'berlin',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    );
  });

  it('ends each of its open jobs CANCELED with reason AGENT_REVOKED, audited, then tells the broker', async () => {
    const [queued, sent, running, done, others] = [
      await newJob(),
      await newJob(),
      await newJob(),
      await newJob(),
      await newJob(OTHER),
    ];
    const publisher = { cause: 'publisher', by: 'cloud' } as const;
    await cloud.cloud.jobs.move(sent, 'SENT', publisher);
    await cloud.cloud.jobs.move(running, 'SENT', publisher);
    await cloud.cloud.jobs.move(running, 'IN_PROGRESS', { cause: 'agent-progress', by: `agent:${AGENT}` });
    await cloud.cloud.jobs.move(done, 'FAILED', { cause: 'agent-result', by: `agent:${AGENT}` });

    const answer = await cloud.call('POST', `/v1/agents/${AGENT}/revoke`, { token: cloud.tokens.admin });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { state: string; endedJobs: string[] };
    expect(body.state).toBe('REVOKED');
    expect([...body.endedJobs].sort()).toEqual([queued, sent, running].sort());
    for (const jobId of [queued, sent, running]) {
      expect(await job(jobId)).toMatchObject({ state: 'CANCELED', reason: 'AGENT_REVOKED' });
      expect((await job(jobId)).history.at(-1)).toMatchObject({ state: 'CANCELED', by: 'alice' });
    }
    expect(await job(done)).not.toHaveProperty('reason');
    expect((await job(done)).state).toBe('FAILED');
    expect((await job(others)).state).toBe('QUEUED');
    const ended = (await audits('job.canceled')).filter((e) => e.details?.reason === 'AGENT_REVOKED');
    expect(ended.map((e) => e.details?.jobId).sort()).toEqual([queued, sent, running].sort());
    expect(ended.every((e) => e.actor === 'alice' && e.agentId === AGENT)).toBe(true);
    expect(told).toEqual([{ agentId: AGENT, openJobs: [] }]);
    // The operator sees why in the job itself.
    const seen = await cloud.call('GET', `/v1/jobs/${queued}`, { token: cloud.tokens.operatorBerlin });
    expect(await seen.json()).toMatchObject({ state: 'CANCELED', reason: 'AGENT_REVOKED' });
  });

  it('refuses a result the revoked agent signs, audits the refusal once as rejected, and moves nothing', async () => {
    const jobId = await newJob();
    // The agent's state alone, as if the result raced the revocation: the job is still open.
    await cloud.cloud.agents.revoke(AGENT, 'alice');
    const message = await signed(resultFor(jobId));
    for (let delivery = 0; delivery < 3; delivery++)
      await expect(cloud.cloud.receiveResult(AGENT, message)).rejects.toMatchObject({
        code: 'AGENT_REVOKED',
      });
    expect((await job(jobId)).state).toBe('QUEUED');
    expect(await cloud.cloud.results.read(jobId, 1)).toBeUndefined();
    expect(await audits('job.result')).toEqual([]);
    const rejected = await audits('result.rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      actor: `agent:${AGENT}`,
      office: 'berlin',
      agentId: AGENT,
      details: { jobId, attempt: 1, status: 'SUCCEEDED', reason: 'AGENT_REVOKED' },
    });
  });

  it('writes no audit entry for a revoked agent result naming a job that was never its own', async () => {
    const othersJob = await newJob(OTHER);
    await cloud.call('POST', `/v1/agents/${AGENT}/revoke`, { token: cloud.tokens.admin });
    for (const jobId of [othersJob, 'made-up-job-id'])
      await expect(cloud.cloud.receiveResult(AGENT, await signed(resultFor(jobId)))).rejects.toMatchObject({
        code: 'AGENT_REVOKED',
      });
    expect(await audits('result.rejected')).toEqual([]);
    expect((await job(othersJob)).state).toBe('QUEUED');
  });

  it('refuses a rejection report of a revoked agent, audited once for the envelope it was sent', async () => {
    const jobId = await newJob();
    const envelopeSha256 = 'e'.repeat(64);
    await cloud.cloud.envelopes.record(envelopeSha256, { jobId, attempt: 1, agentId: AGENT });
    await cloud.call('POST', `/v1/agents/${AGENT}/revoke`, { token: cloud.tokens.admin });
    const report = {
      ...resultFor('unknown'),
      status: 'REJECTED' as const,
      rejection: { reason: 'ENVELOPE_SIGNATURE', envelopeSha256 },
    };
    for (let delivery = 0; delivery < 2; delivery++)
      await expect(cloud.cloud.receiveResult(AGENT, await signed(report))).rejects.toMatchObject({
        code: 'AGENT_REVOKED',
      });
    expect(await audits('envelope.rejected')).toEqual([]);
    const rejected = await audits('result.rejected');
    expect(rejected.map((e) => e.details)).toEqual([
      expect.objectContaining({ jobId, attempt: 1, status: 'REJECTED', reason: 'AGENT_REVOKED' }),
    ]);
  });

  it('refuses the progress of a revoked agent', async () => {
    const jobId = await newJob();
    await cloud.cloud.jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    await cloud.cloud.agents.revoke(AGENT, 'alice');
    await expect(
      cloud.cloud.progress(AGENT, {
        jobId,
        attempt: 1,
        application: 'A',
        applicationIndex: 0,
        applicationCount: 1,
        apdusDone: 0,
        apdusTotal: 1,
        at: '2026-12-06T03:00:00.000Z',
      }),
    ).rejects.toMatchObject({
      code: 'AGENT_REVOKED',
    });
    expect((await job(jobId)).state).toBe('SENT');
  });

  it('takes no presence from a revoked agent: it cannot show itself online while still connected', async () => {
    const online = { status: 'online' as const, at: '2026-12-06T03:00:00.000Z', readers: [] };
    await cloud.cloud.presence(AGENT, { ...online, status: 'offline' });
    await cloud.call('POST', `/v1/agents/${AGENT}/revoke`, { token: cloud.tokens.admin });
    await cloud.cloud.presence(AGENT, online);
    expect((await cloud.cloud.agents.get(AGENT))?.presence?.status).toBe('offline');
  });

  it('keeps the cloud’s own broker names from ever being an agent’s', async () => {
    for (const id of ['cardfleet-cloud-ingest', 'cardfleet-observer-x']) {
      const added = await cloud.call('POST', '/v1/agents', {
        token: cloud.tokens.admin,
        body: { id, office: 'berlin' },
      });
      expect(added.status).toBe(400);
    }
  });

  it('gives a job of a revoked agent no new attempt', async () => {
    const jobId = await newJob();
    await cloud.call('POST', `/v1/agents/${AGENT}/revoke`, { token: cloud.tokens.admin });
    const retry = await cloud.call('POST', `/v1/jobs/${jobId}/retry`, { token: cloud.tokens.operatorBerlin });
    expect(retry.status).toBe(409);
    expect(await job(jobId)).toMatchObject({ state: 'CANCELED', attempt: 1 });
  });
});
