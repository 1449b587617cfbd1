import type { JobResult } from '@cardfleet/shared';
import { JOB_STATES, type JobState, TRANSITION_CAUSES } from '@cardfleet/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_JOB_MOVES } from '../../../test/support/allowed-job-moves';
import { createSampleJob } from '../../../test/support/sample-job';
import { localIssuer } from '../auth/identity';
import { composeCloud } from '../compose';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { sweepTimedOutJobs } from './timeouts';

// Every state move the job store may record, with who records it: the literal list of
// test/support/allowed-job-moves.ts (not read from the lifecycle module), by actor.
const ACTOR = {
  person: 'person',
  publisher: 'cloud',
  timeout: 'cloud',
  'agent-progress': 'agent',
  'agent-result': 'agent',
  // The admin who revoked the job's agent.
  revocation: 'person',
} as const;
const ALLOWED = ALLOWED_JOB_MOVES.map(([from, to, cause]) => [from, to, ACTOR[cause]] as const);

type Event =
  | { kind: 'publish' | 'publish-fail' | 'progress' | 'timeout' | 'cancel' | 'retry' | 'revoke' }
  | { kind: 'result'; status: string; earlierAttempt: boolean }
  | { kind: 'rogue-move'; to: JobState; cause: (typeof TRANSITION_CAUSES)[number] };

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.constantFrom(
    ...(['publish', 'publish-fail', 'progress', 'timeout', 'cancel', 'retry', 'revoke'] as const).map(
      (kind) => ({
        kind,
      }),
    ),
  ),
  fc.record({
    kind: fc.constant('result' as const),
    status: fc.constantFrom('SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELED', 'INTERRUPTED', 'DUPLICATE'),
    earlierAttempt: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('rogue-move' as const),
    to: fc.constantFrom(...JOB_STATES),
    cause: fc.constantFrom(...TRANSITION_CAUSES),
  }),
);

async function newCloud() {
  let clock = Date.parse('2026-11-29T12:00:00.000Z');
  const cloud = composeCloud({
    releaseGate: 'open', // jobs on pushed drafts, as before releases (docs/releases.md)
    table: new MemoryTable(),
    tokens: await localIssuer(),
    keyWrapper: localKeyWrapper(new Uint8Array(32)),
    signer: await localSigner('k1'),
    now: () => new Date(clock++).toISOString(),
  });
  await cloud.agents.add('agent-1', 'berlin', 'alice');
  return { cloud, nowMs: () => clock };
}

type Cloud = Awaited<ReturnType<typeof newCloud>>;

/** One event as the cloud's real entry points see it; refusals are part of the walk. */
async function apply({ cloud, nowMs }: Cloud, jobId: string, e: Event): Promise<void> {
  const job = await cloud.jobs.get(jobId);
  if (!job) throw new Error('the job vanished');
  const ignore = () => undefined;
  switch (e.kind) {
    case 'publish':
      return void (await cloud.jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' }).catch(ignore));
    case 'publish-fail':
      await cloud.jobs
        .move(jobId, 'SENT', { cause: 'publisher', by: 'cloud', attempt: job.attempt })
        .catch(ignore);
      return void (await cloud.jobs
        .move(jobId, 'QUEUED', { cause: 'publisher', by: 'cloud', attempt: job.attempt })
        .catch(ignore));
    case 'progress':
      return cloud.progress(job.agentId, {
        jobId,
        attempt: job.attempt,
        application: 'A',
        applicationIndex: 0,
        applicationCount: 1,
        apdusDone: 0,
        apdusTotal: 1,
        at: new Date(nowMs()).toISOString(),
      });
    case 'timeout':
      return void (await sweepTimedOutJobs(cloud.jobs, nowMs() + 3_600_000, 60_000));
    case 'cancel':
      return void (await cloud.jobs.requestCancel(jobId, 'otto').catch(ignore));
    case 'retry':
      return void (await cloud.jobs.retry(jobId, 'otto').catch(ignore));
    case 'revoke':
      return void (await cloud.revokeAgent(job.agentId, 'alice'));
    case 'result': {
      const attempt = e.earlierAttempt && job.attempt > 1 ? job.attempt - 1 : job.attempt;
      const result = {
        jobId,
        attempt,
        agentId: job.agentId,
        status: e.status as JobResult['status'],
        finishedAt: new Date(nowMs()).toISOString(),
        applications: [],
      };
      return void (await cloud.ingest(result));
    }
    case 'rogue-move': {
      // Any target, asked for by a caller with the identity that goes with its cause.
      const by =
        ACTOR[e.cause] === 'person' ? 'otto' : e.cause.startsWith('agent') ? 'agent:agent-1' : 'cloud';
      return void (await cloud.jobs.move(jobId, e.to, { cause: e.cause, by }).catch(ignore));
    }
  }
}

const who = (by: string) => (by === 'cloud' ? 'cloud' : by.startsWith('agent:') ? 'agent' : 'person');

describe('job store transitions', () => {
  it('records only allowed moves, by whoever may make them, whatever events arrive in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 30 }), async (events) => {
        const cloud = await newCloud();
        const { jobId } = await createSampleJob(cloud.cloud.jobs);
        for (const e of events) {
          await apply(cloud, jobId, e);
          const job = await cloud.cloud.jobs.get(jobId);
          const history = job?.history ?? [];
          expect(history[0]?.state).toBe('QUEUED');
          expect(job?.state).toBe(history.at(-1)?.state);
          for (let i = 1; i < history.length; i++) {
            const [from, to] = [history[i - 1], history[i]];
            const move = [from?.state, to?.state, who(to?.by ?? '')];
            expect(ALLOWED, `step ${e.kind}: ${move.join(' → ')}`).toContainEqual(move);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a move the lifecycle allows only to someone else', async () => {
    const { cloud } = await newCloud();
    const job = await createSampleJob(cloud.jobs);
    await expect(
      cloud.jobs.move(job.jobId, 'IN_PROGRESS', { cause: 'publisher', by: 'cloud' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      cloud.jobs.move(job.jobId, 'TIMED_OUT', { cause: 'agent-result', by: 'agent:agent-1' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await cloud.jobs.get(job.jobId))?.history.map((h) => h.state)).toEqual(['QUEUED']);
  });
});
