import type { Release } from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { exampleFiles } from '../support/cloud-server';
import { AGENT, startSystem } from '../support/e2e-system';

// A broken encoding version released to a canary office halts by itself (docs/releases.md):
// the whole chain — API, signed envelope over Aedes, agent, virtual card through pcscd +
// vpcd, signed result, ingestion — with releases enforced as a deployment enforces them.
describe('a broken version on a canary release', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let bob: string;
  beforeAll(async () => {
    // startSystem pushes examples/read-version as version 1 (a draft, pushed by alice).
    system = await startSystem({ broker: 'aedes', releaseGate: 'enforced' });
    bob = await system.cloud.issuer.issue({ sub: 'bob', role: 'admin' });
  });
  afterAll(() => system.close());

  const admin = () => system.cloud.tokens.admin;
  const operator = () => system.cloud.tokens.operatorBerlin;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await system.cloud.call(method, path, {
      token,
      ...(body === undefined ? {} : { body }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  };
  /** An operator's job in berlin on whatever the office runs; published, then followed to its end. */
  const runInBerlin = async (...end: string[]) => {
    const created = await call('POST', '/v1/jobs', operator(), {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    expect(created.status).toBe(202);
    const jobId = String(created.body.jobId);
    await publishJob(system.publication(), jobId);
    return system.jobIn<{ jobId: string; state: string; encoding: { version: number } }>(jobId, ...end);
  };

  it('halts after the third failure, refuses the next job, and runs the previous version again after rollback', async () => {
    // Version 1: approved by a second admin, released to every office; it runs.
    expect((await call('POST', '/v1/encodings/read-version/versions/1/approve', bob)).status).toBe(200);
    await call('POST', '/v1/encodings/read-version/versions/1/releases', admin(), { stages: [['*']] });
    expect(await runInBerlin('SUCCEEDED')).toMatchObject({ encoding: { version: 1 } });

    // Version 2 sends an instruction the card does not support (INS FE: 6D00) and fails there.
    const files = exampleFiles('read-version').map((f) =>
      f.name === 'read_version.apdu'
        ? { name: f.name, base64: Buffer.from('RAW:00FE000000\n').toString('base64') }
        : f,
    );
    const pushed = await call('POST', '/v1/encodings', admin(), { id: 'read-version', files });
    expect(pushed.body.version).toBe(2);
    expect(
      (await call('POST', '/v1/encodings/read-version/versions/2/approve', admin())).body.error?.code,
    ).toBe('SELF_APPROVAL');
    expect((await call('POST', '/v1/encodings/read-version/versions/2/approve', bob)).body).toMatchObject({
      replaces: 1,
    });
    const canary = (
      await call('POST', '/v1/encodings/read-version/versions/2/releases', admin(), {
        stages: [['berlin'], ['*']],
      })
    ).body as unknown as Release;

    for (let n = 0; n < 3; n++)
      expect(await runInBerlin('FAILED')).toMatchObject({ encoding: { version: 2 } });
    const release = async () =>
      (await call('GET', `/v1/releases/${canary.releaseId}`, admin())).body as unknown as Release;
    await system.until('the release to halt', async () => (await release()).state === 'HALTED');
    expect((await release()).halt).toMatchObject({
      by: 'cloud',
      reason: expect.stringContaining('3 of the first 10'),
    });

    const refused = await call('POST', '/v1/jobs', operator(), {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'RELEASE_HALTED']);

    expect((await call('POST', `/v1/releases/${canary.releaseId}/rollback`, admin())).body.state).toBe(
      'ROLLED_BACK',
    );
    expect(await runInBerlin('SUCCEEDED')).toMatchObject({ encoding: { version: 1 } });

    const audit = await call('GET', '/v1/audit?limit=1000', system.cloud.tokens.auditor);
    const steps = (audit.body.items as { action: string; actor: string; details?: { releaseId?: string } }[])
      .filter((e) => e.details?.releaseId === canary.releaseId)
      .map((e) => `${e.action} ${e.actor}`);
    expect(steps).toEqual(
      expect.arrayContaining(['release.create alice', 'release.halt cloud', 'release.rollback alice']),
    );
  });
});
