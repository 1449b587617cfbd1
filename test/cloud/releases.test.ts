import type { JobResult, Release } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { addEnrolledAgent, exampleFiles, publicationDeps, startCloud } from '../support/cloud-server';

// Releases through the HTTP API over dynalite, as a deployment enforces them
// (docs/releases.md): four eyes, canary offices, the automatic halt fed by results as the
// ingestion path takes them, rollback, and the audit entry of every step.
describe('encoding releases', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let bob: string;
  beforeAll(async () => {
    cloud = await startCloud({ releaseGate: 'enforced' });
    bob = await cloud.issuer.issue({ sub: 'bob', role: 'admin' });
    for (const [agent, office] of [
      ['agent-berlin-1', 'berlin'],
      ['agent-paris-1', 'paris'],
    ] as const)
      await addEnrolledAgent(
        cloud,
        agent,
        office,
        (await generateKeyPair('ES256', { extractable: true })).publicKey,
      );
  });
  afterAll(async () => {
    await cloud.close();
  });

  const send = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await cloud.call(method, path, { token, ...(body === undefined ? {} : { body }) });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  };
  /** Pushes examples/read-version as encoding `id` (alice, the first admin): a new draft. */
  const push = async (id: string) =>
    (await send('POST', '/v1/encodings', cloud.tokens.admin, { id, files: exampleFiles('read-version') }))
      .body.version as number;
  const approve = (id: string, version: number, token = bob) =>
    send('POST', `/v1/encodings/${id}/versions/${version}/approve`, token);
  const release = async (id: string, version: number, body: unknown) => {
    const answer = await send(
      'POST',
      `/v1/encodings/${id}/versions/${version}/releases`,
      cloud.tokens.admin,
      body,
    );
    expect(answer.status).toBe(201);
    return answer.body as unknown as Release;
  };
  const runAs = (token: string, agentId: string, encodingId: string, version?: number) =>
    send('POST', '/v1/jobs', token, { agentId, encodingId, ...(version ? { version } : {}) });
  const inBerlin = (id: string, version?: number) =>
    runAs(cloud.tokens.operatorBerlin, 'agent-berlin-1', id, version);
  const inParis = (id: string, version?: number) =>
    runAs(cloud.tokens.operatorParis, 'agent-paris-1', id, version);
  const auditOf = async (encodingId: string) => {
    const page = await send('GET', '/v1/audit?limit=1000', cloud.tokens.auditor);
    return (
      page.body.items as {
        action: string;
        actor: string;
        encoding?: { id: string };
        details?: Record<string, unknown>;
      }[]
    )
      .filter((e) => e.encoding?.id === encodingId)
      .sort((a, b) => ((a as { at?: string }).at ?? '').localeCompare((b as { at?: string }).at ?? ''));
  };

  it('refuses self-approval (403) and an operator job on an unreleased version; a second admin approves', async () => {
    const version = await push('four-eyes');
    const draft = await inBerlin('four-eyes', version);
    expect([draft.status, draft.body.error?.code]).toEqual([409, 'RELEASE_NOT_RUNNABLE']);
    const self = await approve('four-eyes', version, cloud.tokens.admin);
    expect([self.status, self.body.error?.code]).toEqual([403, 'SELF_APPROVAL']);
    const operator = await approve('four-eyes', version, cloud.tokens.operatorBerlin);
    expect(operator.status).toBe(403);
    const approved = await approve('four-eyes', version);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      lifecycle: { status: 'approved', uploadedBy: 'alice', approvedBy: 'bob' },
      replaces: null,
    });
    // Approved is not released: still not runnable.
    expect((await inBerlin('four-eyes', version)).body.error?.code).toBe('RELEASE_NOT_RUNNABLE');
    expect((await approve('four-eyes', version)).body.error?.code).toBe('VERSION_STATE');
    const actions = (await auditOf('four-eyes')).map((e) => [e.action, e.actor]);
    expect(actions).toContainEqual(['encoding.approve', 'bob']);
  });

  it('runs a canary release only in the canary office until it is promoted to every office', async () => {
    const version = await push('canary');
    await approve('canary', version);
    const created = await release('canary', version, { stages: [['berlin'], ['*']] });
    expect(created).toMatchObject({ state: 'ACTIVE', stage: 0, offices: ['berlin'] });
    const berlin = await inBerlin('canary');
    expect(berlin.status).toBe(202);
    const job = await send('GET', `/v1/jobs/${berlin.body.jobId}`, cloud.tokens.auditor);
    // The job records the exact version, bundle sha256 and release it runs.
    expect(job.body).toMatchObject({
      encoding: { id: 'canary', version, sha256: created.sha256 },
      release: { id: created.releaseId },
    });
    const paris = await inParis('canary', version);
    expect([paris.status, paris.body.error?.code]).toEqual([409, 'RELEASE_NOT_RUNNABLE']);
    const runnable = await send('GET', '/v1/encodings/canary/runnable', cloud.tokens.operatorParis);
    expect(runnable.body.versions).toEqual([]);

    const promoted = await send('POST', `/v1/releases/${created.releaseId}/promote`, cloud.tokens.admin);
    expect(promoted.body).toMatchObject({ stage: 1, offices: ['berlin', '*'] });
    expect((await inParis('canary')).status).toBe(202);
    const last = await send('POST', `/v1/releases/${created.releaseId}/promote`, cloud.tokens.admin);
    expect(last.body.error?.code).toBe('RELEASE_STATE');

    const audit = await auditOf('canary');
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'encoding.push',
        'encoding.approve',
        'encoding.release',
        'release.create',
        'release.promote',
      ]),
    );
    expect(audit.find((e) => e.action === 'release.create')?.details).toMatchObject({ offices: ['berlin'] });
    expect(audit.find((e) => e.action === 'release.promote')?.details).toMatchObject({ offices: ['*'] });
  });

  it('halts a broken canary release after the third failure, holds its queued jobs, and rolls back to the previous version', async () => {
    const good = await push('halting');
    await approve('halting', good);
    await release('halting', good, { stages: [['*']] });
    const broken = await push('halting');
    const approval = await approve('halting', broken);
    expect(approval.body).toMatchObject({ replaces: good, diff: { from: good, to: broken } });
    const canary = await release('halting', broken, { stages: [['berlin'], ['*']] });

    const jobs: string[] = [];
    for (let n = 0; n < 4; n++) {
      const created = await inBerlin('halting');
      expect(created.status).toBe(202);
      jobs.push(String(created.body.jobId));
    }
    // Paris still runs the good version; the canary office runs the new one.
    expect((await inParis('halting')).status).toBe(202);
    const failed = (jobId: string): JobResult => ({
      jobId,
      attempt: 1,
      agentId: 'agent-berlin-1',
      status: 'FAILED',
      finishedAt: new Date().toISOString(),
      applications: [
        {
          name: 'Application_1',
          kind: 'apdu',
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: { code: 'CARD_STATUS', message: 'line 2: the card answered 6D00', line: 2, sw: '6D00' },
        },
      ],
    });
    for (const jobId of jobs.slice(0, 2)) await cloud.cloud.ingest(failed(jobId));
    // The same result delivered again counts once.
    await cloud.cloud.ingest(failed(jobs[0] ?? ''));
    expect((await send('GET', `/v1/releases/${canary.releaseId}`, cloud.tokens.admin)).body.state).toBe(
      'ACTIVE',
    );
    await cloud.cloud.ingest(failed(jobs[2] ?? ''));

    const halted = await send('GET', `/v1/releases/${canary.releaseId}`, cloud.tokens.admin);
    expect(halted.body).toMatchObject({
      state: 'HALTED',
      counts: { counted: 3, failed: 3 },
      halt: { by: 'cloud', reason: expect.stringContaining('3 of the first 10') },
    });
    const listed = await send('GET', '/v1/releases?encodingId=halting&state=HALTED', cloud.tokens.admin);
    expect((listed.body.items as Release[]).map((r) => r.releaseId)).toEqual([canary.releaseId]);
    const refused = await inBerlin('halting');
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'RELEASE_HALTED']);
    // A batch on the halted release is refused at its start, named or by the office's default.
    for (const version of [broken, undefined]) {
      const batch = await send('POST', '/v1/batches', cloud.tokens.operatorBerlin, {
        agentId: 'agent-berlin-1',
        reader: 'any reader',
        encodingId: 'halting',
        ...(version ? { version } : {}),
        count: 1,
        csv: 'serial\n1\n',
      });
      expect([batch.status, batch.body.error?.code]).toEqual([409, 'RELEASE_HALTED']);
    }
    // The fourth job, queued before the halt, is held: not published.
    const publisher = { publish: async () => undefined, close: async () => undefined };
    await expect(publishJob(publicationDeps(cloud, publisher), jobs[3] ?? '')).rejects.toMatchObject({
      code: 'RELEASE_HALTED',
    });
    expect((await send('GET', `/v1/jobs/${jobs[3]}`, cloud.tokens.auditor)).body.state).toBe('QUEUED');

    const rolledBack = await send('POST', `/v1/releases/${canary.releaseId}/rollback`, cloud.tokens.admin, {
      reason: 'card answers 6D00',
    });
    expect(rolledBack.body.state).toBe('ROLLED_BACK');
    const again = await inBerlin('halting');
    expect(again.status).toBe(202);
    expect((await send('GET', `/v1/jobs/${again.body.jobId}`, cloud.tokens.auditor)).body).toMatchObject({
      encoding: { version: good },
    });
    expect((await inBerlin('halting', broken)).body.error?.code).toBe('RELEASE_NOT_RUNNABLE');

    const audit = await auditOf('halting');
    const halt = audit.find((e) => e.action === 'release.halt');
    expect(halt).toMatchObject({ actor: 'cloud', details: { automatic: true, offices: ['berlin'] } });
    expect(audit.find((e) => e.action === 'release.rollback')).toMatchObject({
      actor: 'alice',
      details: { releaseId: canary.releaseId, restored: [{ office: 'berlin', version: good }] },
    });
  });

  it('halts at the threshold a release sets, and an admin resumes and halts it by hand', async () => {
    const version = await push('strict');
    await approve('strict', version);
    const strict = await release('strict', version, {
      stages: [['berlin']],
      thresholds: { firstMaxFailures: 0 },
    });
    expect(strict.thresholds).toEqual({
      firstJobs: 10,
      firstMaxFailures: 0,
      window: 50,
      windowMaxFailureRate: 0.2,
    });
    const job = String((await inBerlin('strict')).body.jobId);
    await cloud.cloud.ingest({
      jobId: job,
      attempt: 1,
      agentId: 'agent-berlin-1',
      status: 'FAILED',
      finishedAt: new Date().toISOString(),
      applications: [
        {
          name: 'Application_1',
          kind: 'apdu',
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: { code: 'CARD_STATUS', message: 'line 1', line: 1, sw: '6A82' },
        },
      ],
    });
    expect((await send('GET', `/v1/releases/${strict.releaseId}`, cloud.tokens.admin)).body.state).toBe(
      'HALTED',
    );
    const operator = await send(
      'POST',
      `/v1/releases/${strict.releaseId}/resume`,
      cloud.tokens.operatorBerlin,
    );
    expect(operator.status).toBe(403);
    const resumed = await send('POST', `/v1/releases/${strict.releaseId}/resume`, bob);
    expect(resumed.body).toMatchObject({ state: 'ACTIVE', counts: { counted: 1, failed: 1, first: [] } });
    expect((await inBerlin('strict')).status).toBe(202);
    const halted = await send('POST', `/v1/releases/${strict.releaseId}/halt`, bob, {
      reason: 'checking a report',
    });
    expect(halted.body).toMatchObject({ state: 'HALTED', halt: { by: 'bob', reason: 'checking a report' } });
    expect((await auditOf('strict')).map((e) => e.action)).toEqual(
      expect.arrayContaining(['release.halt', 'release.resume']),
    );
  });
});
