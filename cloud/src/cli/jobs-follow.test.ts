import type { JobResult, ProgressEvent } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { main } from './main';

/**
 * `jobs run --wait` and `jobs show --follow` against the API in-process: what the agent
 * does is played into the cloud between two polls (the CLI's injected sleep), one step
 * per poll.
 */
type Cloud = Awaited<ReturnType<typeof memoryCloud>>;
type Step = (cloud: Cloud, jobId: string) => Promise<unknown>;

async function cloudWithJob(create: boolean) {
  const cloud = await memoryCloud();
  await pushExample(cloud, 'read-version');
  await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
  if (!create) return { cloud, jobId: '' };
  const created = (await (
    await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.admin,
      body: { agentId: 'agent-1', encodingId: 'read-version' },
    })
  ).json()) as { jobId: string };
  return { cloud, jobId: created.jobId };
}

/** `jobs show --follow` follows a job made here; `jobs run --wait` makes its own (the only open one). */
async function follow(argv: (jobId: string) => string[], steps: Step[], options: { isTTY?: boolean } = {}) {
  const runs = argv('')[1] === 'run';
  const { cloud, jobId } = await cloudWithJob(!runs);
  const target = async () => (runs ? ((await cloud.cloud.jobs.listOpen())[0]?.jobId ?? '') : jobId);
  let stdout = '';
  let stderr = '';
  let clock = 0;
  const pending = [...steps];
  const code = await main(argv(jobId), {
    env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.admin },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    fetch: cloud.fetch,
    isTTY: options.isTTY ?? false,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      await pending.shift()?.(cloud, await target());
    },
  });
  return { code, stdout, stderr, jobId };
}

const event = (
  jobId: string,
  seq: number,
  apdusDone: number,
  phase?: ProgressEvent['phase'],
): ProgressEvent => ({
  jobId,
  attempt: 1,
  application: 'Application_1',
  applicationIndex: 0,
  applicationCount: 1,
  apdusDone,
  apdusTotal: 2,
  ...(phase ? { phase } : {}),
  seq,
  at: new Date(Date.UTC(2026, 11, 6, 6, 0, seq)).toISOString(),
});
const failed = (jobId: string): JobResult => ({
  jobId,
  attempt: 1,
  agentId: 'agent-1',
  status: 'FAILED',
  finishedAt: '2026-12-06T06:01:00.000Z',
  applications: [
    {
      name: 'Application_1',
      kind: 'apdu',
      status: 'FAILED',
      outputs: {},
      apdus: [],
      failure: { code: 'CARD_STATUS', message: 'the card said no', line: 2, sw: '63C2' },
    },
  ],
});
const sent: Step = (cloud, jobId) =>
  cloud.cloud.jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
const progress =
  (seq: number, done: number, phase?: ProgressEvent['phase']): Step =>
  (cloud, jobId) =>
    cloud.cloud.progress('agent-1', event(jobId, seq, done, phase));
const nothing: Step = async () => undefined;
const AGENT_RUN: Step[] = [
  sent,
  progress(1, 0),
  progress(2, 1, 'waiting-for-pin'),
  nothing,
  progress(3, 2),
  (cloud, jobId) => cloud.cloud.ingest(failed(jobId)),
];

describe('following a job from the CLI', () => {
  it('prints each state change and the progress once, then the failure with its line and status-word meaning', async () => {
    const { code, stdout, jobId } = await follow((id) => ['jobs', 'show', id, '--follow'], AGENT_RUN);
    expect(code).toBe(1);
    const progressOf = (what: string) => `job ${jobId} Application_1 (application 1 of 1): ${what}`;
    expect(stdout.split('\n').slice(0, 8)).toEqual([
      `job ${jobId} QUEUED`,
      `job ${jobId} SENT`,
      `job ${jobId} IN_PROGRESS`,
      progressOf('APDU 0 of 2'),
      progressOf('waiting for PIN at the station'),
      progressOf('APDU 2 of 2'),
      `job ${jobId}: FAILED — read-version v1 on agent-1`,
      '  reason: Application_1: line 2: the card said no (status word 63C2: verification failed, 2 tries left) [CARD_STATUS]',
    ]);
    expect(stdout).not.toContain('\u001b');
  });

  it('on a TTY rewrites one progress line in place and ends on a clean line', async () => {
    const { stdout } = await follow(
      () => ['jobs', 'run', '--agent', 'agent-1', '--encoding', 'read-version', '--wait'],
      AGENT_RUN,
      { isTTY: true },
    );
    const erase = '\r\u001b[2K';
    const jobId = /job (\S+) FAILED\n/.exec(stdout)?.[1] ?? 'no job id';
    expect(stdout).toContain(`waiting for PIN at the station${erase}`);
    expect(stdout).toContain(`${erase}job ${jobId} FAILED\n  reason: Application_1: line 2`);
  });

  it('prints machine output only with --json', async () => {
    const { code, stdout } = await follow(
      () => ['jobs', 'run', '--agent', 'agent-1', '--encoding', 'read-version', '--wait', '--json'],
      AGENT_RUN,
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ state: 'FAILED', result: { status: 'FAILED' } });
  });

  it('says a job that timed out is waiting for PIN at the station', async () => {
    const { code, stderr, stdout, jobId } = await follow(
      (id) => ['jobs', 'show', id, '--follow', '--timeout', '1'],
      [sent, progress(1, 0, 'waiting-for-pin')],
    );
    expect(code).toBe(1);
    expect(stdout).toContain('waiting for PIN at the station');
    expect(stderr).toContain(
      `job ${jobId} is still IN_PROGRESS after 1 s (last progress: Application_1 (application 1 of 1): waiting for PIN at the station)`,
    );
  });
});
