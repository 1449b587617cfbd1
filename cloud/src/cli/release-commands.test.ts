import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud } from '../../../test/support/test-cloud';
import { main } from './main';
import { parseStages } from './release-commands';

const examples = join(import.meta.dirname, '../../../examples');

describe('cardfleet encodings approve|release|halt|resume|rollback', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let bob: string;
  const run = async (token: string, ...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: token },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      sleep: async () => undefined,
      fetch: cloud.fetch,
    });
    return { code, stdout, stderr };
  };
  beforeEach(async () => {
    cloud = await memoryCloud({ releaseGate: 'enforced' });
    bob = await cloud.issuer.issue({ sub: 'bob', role: 'admin' });
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
  });

  it('refuses self-approval with its code and exit 3; the second admin approves and sees the diff', async () => {
    const alice = cloud.tokens.admin;
    await run(alice, 'encodings', 'push', join(examples, 'read-version'));
    expect(await run(alice, 'encodings', 'approve', 'read-version', '1')).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('[SELF_APPROVAL]'),
    });
    expect((await run(bob, 'encodings', 'approve', 'read-version', '1')).stdout).toContain(
      'read-version version 1 approved by bob (pushed by alice)\nit replaces no released version',
    );
    expect((await run(alice, 'encodings', 'release', 'read-version', '1', '--stages', 'berlin;*')).code).toBe(
      0,
    );
    await run(alice, 'encodings', 'push', join(examples, 'read-serial'), '--id', 'read-version');
    const approved = await run(bob, 'encodings', 'approve', 'read-version', '2');
    expect(approved.stdout).toContain('diff against version 1 (secrets redacted):');
    expect(approved.stdout).toContain('--- read-version v1/read_version.apdu');
  });

  it('releases in stages, halts, resumes and rolls back, and lists a halted release with its reason', async () => {
    const alice = cloud.tokens.admin;
    await run(alice, 'encodings', 'push', join(examples, 'read-version'));
    await run(bob, 'encodings', 'approve', 'read-version', '1');
    const released = await run(
      alice,
      'encodings',
      'release',
      'read-version',
      '1',
      '--stages',
      'berlin;*',
      '--first-max-failures',
      '0',
      '--json',
    );
    const release = JSON.parse(released.stdout);
    expect(release).toMatchObject({ state: 'ACTIVE', stages: [['berlin'], ['*']] });
    expect(release.thresholds.firstMaxFailures).toBe(0);
    const halted = await run(bob, 'encodings', 'halt', release.releaseId, '--reason', 'wrong key');
    expect(halted.stdout).toContain('HALTED by bob: wrong key');
    expect((await run(alice, 'encodings', 'releases', 'read-version', '--state', 'HALTED')).stdout).toContain(
      `${release.releaseId}  read-version v1  HALTED  stage 1/2 (berlin)`,
    );
    const job = await run(
      cloud.tokens.operatorBerlin,
      'jobs',
      'run',
      '--agent',
      'agent-1',
      '--encoding',
      'read-version',
    );
    expect(job).toMatchObject({ code: 2, stderr: expect.stringContaining('[RELEASE_HALTED]') });
    expect((await run(alice, 'encodings', 'promote', release.releaseId)).stderr).toContain('[RELEASE_STATE]');
    expect((await run(alice, 'encodings', 'resume', release.releaseId)).stdout).toContain('ACTIVE');
    expect((await run(alice, 'encodings', 'promote', release.releaseId)).stdout).toContain(
      'stage 2/2 (berlin, *)',
    );
    expect((await run(alice, 'encodings', 'runnable', 'read-version', '--office', 'paris')).stdout).toBe(
      `paris may run read-version version 1 (release ${release.releaseId}, ACTIVE)\n`,
    );
    expect((await run(alice, 'encodings', 'rollback', release.releaseId)).stdout).toContain('ROLLED_BACK');
    expect((await run(alice, 'encodings', 'runnable', 'read-version', '--office', 'paris')).stdout).toContain(
      'paris may run read-version no version',
    );
    expect((await run(alice, 'encodings', 'retire', 'read-version', '1')).stdout).toBe(
      'read-version version 1 retired\n',
    );
  });

  it('checks --stages before asking the API', async () => {
    expect(parseStages('berlin; paris,rome ;*')).toEqual([['berlin'], ['paris', 'rome'], ['*']]);
    const empty = await run(cloud.tokens.admin, 'encodings', 'release', 'x', '1', '--stages', 'berlin;;*');
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('[CLI_USAGE]') });
  });
});
