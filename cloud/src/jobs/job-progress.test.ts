import type { ProgressEvent } from '@cardfleet/shared';
import { describe, expect, it, vi } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { JobStore } from './job-store';

const RECEIVED = '2026-12-06T06:00:00.000Z';

async function sentJob() {
  const table = new MemoryTable();
  const audit = new AuditLog(table, await localSigner('k1'), localKeyWrapper(new Uint8Array(32)));
  const jobs = new JobStore(table, localKeyWrapper(new Uint8Array(32)), audit, () => RECEIVED);
  const { jobId } = await createSampleJob(jobs);
  await jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
  const event = (seq: number | undefined, apdusDone: number, extra: Partial<ProgressEvent> = {}) =>
    ({
      jobId,
      attempt: 1,
      application: 'Application_1',
      applicationIndex: 0,
      applicationCount: 1,
      apdusDone,
      apdusTotal: 9,
      ...(seq === undefined ? {} : { seq }),
      at: `2026-12-06T05:59:${String(10 + apdusDone).padStart(2, '0')}.000Z`,
      ...extra,
    }) satisfies ProgressEvent;
  return { table, audit, jobs, jobId, event };
}

describe('the progress kept on a job', () => {
  it('is overwritten by each newer event, one write each, and the first moves SENT to IN_PROGRESS', async () => {
    const { table, jobs, jobId, event } = await sentJob();
    const writes = vi.spyOn(table, 'putIfVersion');
    await jobs.recordProgress('agent-1', event(1, 0));
    await jobs.recordProgress('agent-1', event(2, 4));
    await jobs.recordProgress('agent-1', event(3, 4, { phase: 'waiting-for-pin' }));
    expect(writes).toHaveBeenCalledTimes(3);
    const job = await jobs.get(jobId);
    expect(job?.state).toBe('IN_PROGRESS');
    expect(job?.history.map((h) => [h.state, h.by])).toEqual([
      ['QUEUED', 'otto'],
      ['SENT', 'cloud'],
      ['IN_PROGRESS', 'agent:agent-1'],
    ]);
    expect(job?.progress).toEqual({
      attempt: 1,
      application: 'Application_1',
      applicationIndex: 0,
      applicationCount: 1,
      apdusDone: 4,
      apdusTotal: 9,
      phase: 'waiting-for-pin',
      seq: 3,
      at: '2026-12-06T05:59:14.000Z',
      receivedAt: RECEIVED,
    });
  });

  it('is never audited: the move is, the events are not', async () => {
    const { audit, jobs, event } = await sentJob();
    for (let seq = 1; seq <= 4; seq += 1) await jobs.recordProgress('agent-1', event(seq, seq));
    const actions = (await audit.entries()).map((e) => e.action).sort();
    expect(actions).toEqual(['job.create', 'job.in_progress', 'job.sent']);
  });

  it('ignores an event older than the one kept, by its number or else by the agent time', async () => {
    const { jobs, jobId, event } = await sentJob();
    await jobs.recordProgress('agent-1', event(5, 5));
    await jobs.recordProgress('agent-1', event(4, 7));
    await jobs.recordProgress('agent-1', event(5, 8));
    expect((await jobs.get(jobId))?.progress).toMatchObject({ seq: 5, apdusDone: 5 });
    const { jobs: older, jobId: other, event: unnumbered } = await sentJob();
    await older.recordProgress('agent-1', unnumbered(undefined, 6));
    await older.recordProgress('agent-1', unnumbered(undefined, 2));
    expect((await older.get(other))?.progress).toMatchObject({ apdusDone: 6, phase: 'running' });
  });

  it('ignores an event that arrives after the result: the job stays ended, its last progress stays', async () => {
    const { jobs, jobId, event } = await sentJob();
    await jobs.recordProgress('agent-1', event(1, 8));
    await jobs.move(jobId, 'SUCCEEDED', { cause: 'agent-result', by: 'agent:agent-1', attempt: 1 });
    await jobs.recordProgress('agent-1', event(2, 9));
    const job = await jobs.get(jobId);
    expect(job?.state).toBe('SUCCEEDED');
    expect(job?.progress).toMatchObject({ seq: 1, apdusDone: 8 });
  });

  it('ignores another agent and an earlier attempt, and a retry starts without progress', async () => {
    const { jobs, jobId, event } = await sentJob();
    await jobs.recordProgress('agent-2', event(1, 3));
    expect(await jobs.get(jobId)).toMatchObject({ state: 'SENT' });
    expect(await jobs.get(jobId)).not.toHaveProperty('progress');
    await jobs.recordProgress('agent-1', event(1, 3));
    await jobs.move(jobId, 'FAILED', { cause: 'agent-result', by: 'agent:agent-1', attempt: 1 });
    expect(await jobs.retry(jobId, 'otto')).not.toHaveProperty('progress');
    await jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    await jobs.recordProgress('agent-1', event(2, 4));
    expect(await jobs.get(jobId)).toMatchObject({ state: 'SENT', attempt: 2 });
    expect(await jobs.get(jobId)).not.toHaveProperty('progress');
  });
});
