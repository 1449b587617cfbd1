import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { keys } from '../storage/table-design';
import { main } from './main';

const examples = join(import.meta.dirname, '../../../examples');

describe('cardfleet admin CLI against the API', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
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
  /** The example encoding read-version and the enrolled agent-1 in berlin. */
  const withEnrolledAgent = async () => {
    await pushExample(cloud, 'read-version');
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
  };
  beforeEach(async () => {
    cloud = await memoryCloud();
  });

  it('pushes and lists encodings, adds an agent, runs and shows a job', async () => {
    const admin = cloud.tokens.admin;
    expect(await run(admin, 'encodings', 'push', join(examples, 'read-version'))).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('pushed read-version version 1'),
    });
    expect((await run(admin, 'encodings', 'list')).stdout).toContain('read-version  v1');
    const added = await run(admin, 'agents', 'add', 'agent-1', '--office', 'berlin', '--json');
    const { enrolmentCode } = JSON.parse(added.stdout);
    expect(enrolmentCode).toMatch(/^[0-9a-f]{32}$/);
    const { kty, crv, x, y } = await exportJWK(
      (await generateKeyPair('ES256', { extractable: true })).publicKey,
    );
    await cloud.call('POST', '/v1/agents/agent-1/enrol', {
      body: { code: enrolmentCode, publicJwk: { kty, crv, x, y } },
    });
    const job = JSON.parse(
      (await run(admin, 'jobs', 'run', '--agent', 'agent-1', '--encoding', 'read-version', '--json')).stdout,
    );
    expect(job.state).toBe('QUEUED');
    expect((await run(admin, 'jobs', 'show', job.jobId)).stdout).toContain(
      `job ${job.jobId}: QUEUED — read-version v1 on agent-1`,
    );
    // --wait follows a job to its terminal state: here an operator cancels it meanwhile.
    let stdout = '';
    const waited = await main(['jobs', 'run', '--agent', 'agent-1', '--encoding', 'read-version', '--wait'], {
      env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: admin },
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      fetch: cloud.fetch,
      sleep: async () => {
        const list = await (await cloud.call('GET', '/v1/jobs?state=QUEUED', { token: admin })).json();
        for (const item of (list as { items: { jobId: string }[] }).items)
          await cloud.call('POST', `/v1/jobs/${item.jobId}/cancel`, { token: admin });
      },
    });
    expect(waited).toBe(1);
    expect(stdout).toMatch(/job .* CANCELED/);
  });

  it('cancels, retries and lists agents with their presence', async () => {
    const admin = cloud.tokens.admin;
    await withEnrolledAgent();
    const job = JSON.parse(
      (await run(admin, 'jobs', 'run', '--agent', 'agent-1', '--encoding', 'read-version', '--json')).stdout,
    );
    expect((await run(admin, 'jobs', 'cancel', job.jobId)).stdout).toBe(`job ${job.jobId} CANCELED\n`);
    expect((await run(admin, 'jobs', 'cancel', job.jobId)).code).not.toBe(0); // already final
    expect((await run(admin, 'jobs', 'retry', job.jobId)).stdout).toBe(`job ${job.jobId} attempt 2 QUEUED\n`);
    // A job the agent holds: the cancel is a request the agent answers.
    await cloud.cloud.jobs.move(job.jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    expect((await run(admin, 'jobs', 'cancel', job.jobId)).stdout).toContain(
      'SENT: cancel sent to the agent',
    );
    await cloud.cloud.agents.recordPresence('agent-1', {
      status: 'online',
      at: new Date().toISOString(),
      readers: [{ name: 'Reader 0', cardPresent: true, atr: '3B00', cardNames: ['CardOS 5.3'] }],
    });
    expect((await run(admin, 'agents', 'list')).stdout).toMatch(
      /^agent-1 {2}berlin {2}ACTIVE {2}online {2}last seen \S+ {2}readers: Reader 0 \[CardOS 5\.3\]$/m,
    );
    // The agent's version and start time, as its presence announces them.
    await cloud.cloud.agents.recordPresence('agent-1', {
      status: 'online',
      at: new Date().toISOString(),
      agentVersion: '0.1.0',
      startedAt: '2026-12-06T03:00:00.000Z',
      readers: [],
    });
    expect((await run(admin, 'agents', 'list')).stdout).toMatch(
      /^agent-1 {2}berlin {2}ACTIVE {2}online {2}version 0\.1\.0 started 2026-12-06T03:00:00\.000Z {2}last seen \S+$/m,
    );
  });

  it('reports invalid bundles with file:line:col and exit 2 (bad input)', async () => {
    const result = await run(
      cloud.tokens.admin,
      'encodings',
      'push',
      join(import.meta.dirname, '../../../test/fixtures/seeds/gemalto-web-copy.ini'),
      '--id',
      'web',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gemalto-web-copy.ini:6:1: expected key=value');
  });

  it('exports and verifies the audit trail, and names the first bad entry after tampering', async () => {
    const auditor = cloud.tokens.auditor;
    await withEnrolledAgent(); // entries to export and to tamper with
    expect((await run(auditor, 'audit', 'export', '--format', 'csv')).stdout.split('\n')[0]).toMatch(
      /^seq,at,actor/,
    );
    expect(await run(auditor, 'audit', 'verify')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('audit log intact'),
    });
    // A checkpoint covers the entries; then one of them is deleted from the table.
    await cloud.cloud.audit.checkpoint();
    const [first] = await cloud.cloud.audit.entries();
    if (!first) throw new Error('no audit entry');
    await cloud.table.delete(keys.auditEntry(first.shard, first.seq));
    expect(await run(auditor, 'audit', 'verify')).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(`audit log BROKEN at ${first.shard}/${first.seq}: entry missing`),
    });
  });

  it('needs the API URL and a token, and refuses a role that may not act (exit 3)', async () => {
    expect(
      await main(['encodings', 'list'], { env: {}, stdout: () => undefined, stderr: () => undefined }),
    ).toBe(2);
    expect((await run(cloud.tokens.operatorBerlin, 'agents', 'add', 'x', '--office', 'berlin')).code).toBe(3);
  });
});
