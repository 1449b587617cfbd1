import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addEnrolledAgent,
  exampleFiles,
  memoryCloud,
  publicationDeps,
} from '../../../test/support/test-cloud';
import { publishJob } from '../publishing/job-publication';

/**
 * Dry runs in the cloud (docs/security.md, "Dry runs"; docs/api.md): who may ask, which
 * versions they may run, that they reach only an agent announcing a dry-run card, carry
 * the signed flag, show as dry runs and never count for a release.
 */
describe('dry-run jobs', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let bob: string;
  const published: Uint8Array[] = [];
  const publisher = {
    publish: async (_topic: string, payload: Uint8Array) => {
      published.push(payload);
    },
    close: async () => undefined,
  };
  const announce = (dryRunCard: boolean) =>
    cloud.cloud.agents.recordPresence('agent-1', {
      status: 'online',
      at: new Date().toISOString(),
      agentVersion: '0.1.0',
      ...(dryRunCard ? { dryRunCard: true as const } : {}),
      readers: [],
    });
  beforeEach(async () => {
    published.length = 0;
    cloud = await memoryCloud({ releaseGate: 'enforced' });
    bob = await cloud.issuer.issue({ sub: 'bob', role: 'admin' });
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
    await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: { id: 'enc', files: exampleFiles('read-version') },
    });
    await announce(true);
  });
  const dryRun = async (token: string, body: Record<string, unknown> = {}) => {
    const response = await cloud.call('POST', '/v1/jobs', {
      token,
      body: { agentId: 'agent-1', encodingId: 'enc', version: 1, dryRun: true, ...body },
    });
    const answer = (await response.json()) as { jobId?: string; error?: { code: string } };
    return { status: response.status, ...answer };
  };
  const view = async (jobId: string | undefined) =>
    (await (await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.admin })).json()) as {
      dryRun?: boolean;
      release?: unknown;
    };
  const releaseVersion1 = async () => {
    await cloud.call('POST', '/v1/encodings/enc/versions/1/approve', { token: bob });
    const response = await cloud.call('POST', '/v1/encodings/enc/versions/1/releases', {
      token: cloud.tokens.admin,
      body: { stages: [['berlin']] },
    });
    return ((await response.json()) as { releaseId: string }).releaseId;
  };

  it('lets an admin dry-run a draft, shown as a dry run in the job view and the audit, in no release', async () => {
    const job = await dryRun(cloud.tokens.admin);
    expect(job.status).toBe(202);
    expect(await view(job.jobId)).toMatchObject({ dryRun: true });
    expect((await view(job.jobId)).release).toBeUndefined();
    const audit = (await (await cloud.call('GET', '/v1/audit', { token: cloud.tokens.auditor })).json()) as {
      items: { action: string; details: string | Record<string, unknown> }[];
    };
    const created = audit.items.find((e) => e.action === 'job.create');
    expect(JSON.stringify(created?.details)).toContain('"dryRun":true');
  });

  it('shows a job asked without the flag as no dry run', async () => {
    const response = await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.admin,
      body: { agentId: 'agent-1', encodingId: 'enc', version: 1 },
    });
    const { jobId } = (await response.json()) as { jobId: string };
    expect((await view(jobId)).dryRun).toBeUndefined();
  });

  it('refuses a dry run for an agent that has not announced a dry-run card (it would run it on its reader)', async () => {
    await announce(false);
    const refused = await dryRun(cloud.tokens.admin);
    expect(refused).toMatchObject({ status: 409, error: { code: 'DRY_RUN_UNAVAILABLE' } });
    const listed = (await (await cloud.call('GET', '/v1/jobs', { token: cloud.tokens.admin })).json()) as {
      items: unknown[];
    };
    expect(listed.items).toEqual([]);
  });

  it('lets operators dry-run for their office what their office may run, and nothing else', async () => {
    // A draft is not their office's to run, dry or not: the release gate decides as for any job.
    expect((await dryRun(cloud.tokens.operatorBerlin)).error?.code).toBe('RELEASE_NOT_RUNNABLE');
    await releaseVersion1();
    const job = await dryRun(cloud.tokens.operatorBerlin);
    expect(job.status).toBe(202);
    expect(await view(job.jobId)).toMatchObject({ dryRun: true });
    expect((await view(job.jobId)).release).toBeUndefined();
    expect((await dryRun(cloud.tokens.operatorParis)).status).toBe(403);
    expect((await dryRun(cloud.tokens.auditor)).status).toBe(403);
  });

  it('refuses a dry run of a retired version, even to an admin', async () => {
    await cloud.call('POST', '/v1/encodings/enc/versions/1/retire', { token: cloud.tokens.admin });
    expect((await dryRun(cloud.tokens.admin)).error?.code).toBe('RELEASE_NOT_RUNNABLE');
  });

  it('signs the flag into the envelope, and sends nothing once the agent stops announcing its card', async () => {
    const job = await dryRun(cloud.tokens.admin);
    const deps = publicationDeps(cloud, publisher);
    await publishJob(deps, job.jobId ?? '');
    const payload = JSON.parse(
      Buffer.from(new TextDecoder().decode(published[0]).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { job: { dryRun?: boolean } };
    expect(payload.job.dryRun).toBe(true);
    const second = await dryRun(cloud.tokens.admin);
    await announce(false);
    await expect(publishJob(deps, second.jobId ?? '')).rejects.toMatchObject({ code: 'DRY_RUN_UNAVAILABLE' });
    expect(published).toHaveLength(1);
  });

  it("never counts a dry run's outcome for a release, even one that names the release", async () => {
    const releaseId = await releaseVersion1();
    const job = await dryRun(cloud.tokens.operatorBerlin);
    const stored = await cloud.cloud.jobs.get(job.jobId ?? '');
    if (!stored) throw new Error('the dry run was not stored');
    const gate = cloud.cloud.releaseGate;
    const counted = async () => {
      const counts = (await cloud.cloud.releases.get(releaseId))?.counts;
      return (counts?.counted ?? 0) + (counts?.ignored ?? 0);
    };
    await gate.recordOutcome({ ...stored, release: { id: releaseId } }, undefined, 'SUCCEEDED');
    expect(await counted()).toBe(0);
    // The same outcome of a job for the card counts: the check above is the dry-run flag.
    const { dryRun: _flag, ...real } = stored;
    await gate.recordOutcome({ ...real, release: { id: releaseId } }, undefined, 'SUCCEEDED');
    expect(await counted()).toBe(1);
  });
});
