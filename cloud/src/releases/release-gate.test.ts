import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, exampleFiles, memoryCloud } from '../../../test/support/test-cloud';
import { keys } from '../storage/table-design';

// The release gate where jobs are created and retried (docs/releases.md): versions pushed
// before releases stay runnable everywhere, an admin may test a draft, a retry is
// admitted again, a retired or superseded version does not run.
describe('the release gate', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let bob: string;
  beforeEach(async () => {
    cloud = await memoryCloud({ releaseGate: 'enforced' });
    bob = await cloud.issuer.issue({ sub: 'bob', role: 'admin' });
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
  });
  const push = async () => {
    await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: { id: 'enc', files: exampleFiles('read-version') },
    });
  };
  /** A version as it was written before releases existed: no `managed` mark. */
  const pushLegacy = async (version: number) => {
    await push();
    const item = await cloud.table.get(keys.encodingVersion('enc', version));
    const { managed: _managed, ...legacy } = item ?? {};
    await cloud.table.put(legacy as typeof item & object);
  };
  const run = async (token: string, version?: number) => {
    const response = await cloud.call('POST', '/v1/jobs', {
      token,
      body: { agentId: 'agent-1', encodingId: 'enc', ...(version ? { version } : {}) },
    });
    const body = (await response.json()) as { jobId?: string; error?: { code: string; details?: unknown } };
    return { status: response.status, ...body };
  };
  const versionOf = async (jobId: string | undefined) =>
    (
      (await (await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.admin })).json()) as {
        encoding: { version: number };
      }
    ).encoding.version;
  const approveAndRelease = async (version: number, stages: string[][]) => {
    await cloud.call('POST', `/v1/encodings/enc/versions/${version}/approve`, { token: bob });
    const response = await cloud.call('POST', `/v1/encodings/enc/versions/${version}/releases`, {
      token: cloud.tokens.admin,
      body: { stages },
    });
    return ((await response.json()) as { releaseId: string }).releaseId;
  };

  it('keeps a version pushed before releases runnable in every office, and runs the newest such by default', async () => {
    await pushLegacy(1);
    const job = await run(cloud.tokens.operatorBerlin);
    expect(job.status).toBe(202);
    const lifecycle = await cloud.call('GET', '/v1/encodings/enc/versions/1/lifecycle', {
      token: cloud.tokens.auditor,
    });
    expect(await lifecycle.json()).toMatchObject({ status: 'released', legacy: true });
    // A draft pushed afterwards does not run; without a version the office gets the legacy one.
    await push();
    expect((await run(cloud.tokens.operatorBerlin, 2)).error?.code).toBe('RELEASE_NOT_RUNNABLE');
    expect(await versionOf((await run(cloud.tokens.operatorBerlin)).jobId)).toBe(1);
  });

  it('lets an admin test a draft on a station, tied to no release', async () => {
    await push();
    const job = await run(cloud.tokens.admin, 1);
    expect(job.status).toBe(202);
    const stored = (await (
      await cloud.call('GET', `/v1/jobs/${job.jobId}`, { token: cloud.tokens.admin })
    ).json()) as {
      release?: unknown;
    };
    expect(stored.release).toBeUndefined();
  });

  it('admits a retry again: a job of a release rolled back since does not run a new attempt', async () => {
    await pushLegacy(1);
    await push();
    const releaseId = await approveAndRelease(2, [['berlin']]);
    const job = await run(cloud.tokens.operatorBerlin);
    expect(await versionOf(job.jobId)).toBe(2);
    await cloud.cloud.jobs.move(job.jobId ?? '', 'FAILED', { cause: 'agent-result', by: 'agent:agent-1' });
    await cloud.call('POST', `/v1/releases/${releaseId}/rollback`, { token: cloud.tokens.admin });
    const retry = await cloud.call('POST', `/v1/jobs/${job.jobId}/retry`, {
      token: cloud.tokens.operatorBerlin,
    });
    expect(retry.status).toBe(409);
    expect(((await retry.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: 'RELEASE_NOT_RUNNABLE',
      details: {},
    });
    // The office runs the legacy version again.
    expect(await versionOf((await run(cloud.tokens.operatorBerlin)).jobId)).toBe(1);
  });

  it('names the version an office runs when another is asked for, and retires only what no office runs', async () => {
    await push();
    const releaseId = await approveAndRelease(1, [['berlin']]);
    await push();
    await cloud.call('POST', '/v1/encodings/enc/versions/2/approve', { token: bob });
    const other = await run(cloud.tokens.operatorBerlin, 2);
    expect(other.error).toMatchObject({
      code: 'RELEASE_NOT_RUNNABLE',
      details: { runnableVersion: 1, releaseId },
    });
    const retire = async (version: number) =>
      cloud.call('POST', `/v1/encodings/enc/versions/${version}/retire`, { token: cloud.tokens.admin });
    expect((await retire(1)).status).toBe(409);
    expect((await retire(2)).status).toBe(200);
    expect((await run(cloud.tokens.admin, 2)).error?.code).toBe('RELEASE_NOT_RUNNABLE');
  });

  it('rolls an office back past a release that was rolled back meanwhile', async () => {
    const releases: string[] = [];
    for (const version of [1, 2, 3]) {
      await push();
      releases.push(await approveAndRelease(version, [['berlin']]));
    }
    const rollback = (id: string | undefined) =>
      cloud.call('POST', `/v1/releases/${id}/rollback`, { token: cloud.tokens.admin });
    await rollback(releases[1]);
    expect(await versionOf((await run(cloud.tokens.operatorBerlin)).jobId)).toBe(3);
    await rollback(releases[2]);
    expect(await versionOf((await run(cloud.tokens.operatorBerlin)).jobId)).toBe(1);
  });

  it('shows operators only the releases that reached their office', async () => {
    await push();
    await approveAndRelease(1, [['paris']]);
    const list = async (token: string) =>
      ((await (await cloud.call('GET', '/v1/releases', { token })).json()) as { items: unknown[] }).items
        .length;
    expect(await list(cloud.tokens.operatorBerlin)).toBe(0);
    expect(await list(cloud.tokens.operatorParis)).toBe(1);
    expect(await list(cloud.tokens.auditor)).toBe(1);
  });
});
