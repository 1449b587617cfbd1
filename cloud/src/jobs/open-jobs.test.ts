import { beforeEach, describe, expect, it } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { keys } from '../storage/table-design';
import { JobStore } from './job-store';
import { sweepTimedOutJobs } from './timeouts';

// Dispatch and the timeout sweep read the open-job markers, not every job ever made.
describe('open jobs', () => {
  let table: MemoryTable;
  let jobs: JobStore;
  let clock = Date.parse('2026-11-29T12:00:00.000Z');
  const newJob = () => createSampleJob(jobs);
  beforeEach(async () => {
    table = new MemoryTable();
    const audit = new AuditLog(table, await localSigner('k1'), localKeyWrapper(new Uint8Array(32)));
    jobs = new JobStore(table, localKeyWrapper(new Uint8Array(32)), audit, () =>
      new Date(clock++).toISOString(),
    );
  });

  it('lists queued, sent and running jobs, oldest first, and forgets them when they close or retry reopens them', async () => {
    const [a, b, c, d] = [await newJob(), await newJob(), await newJob(), await newJob()];
    await jobs.move(b.jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    await jobs.move(c.jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    await jobs.move(c.jobId, 'IN_PROGRESS', { cause: 'agent-progress', by: 'agent' });
    await jobs.move(d.jobId, 'CANCELED', { cause: 'person', by: 'otto' });
    expect((await jobs.listOpen()).map((j) => j.jobId)).toEqual([a.jobId, b.jobId, c.jobId]);
    expect((await jobs.listOpen('QUEUED')).map((j) => j.jobId)).toEqual([a.jobId]);
    expect(await table.get(keys.openJob(d.jobId))).toBeUndefined();
    await jobs.retry(d.jobId, 'otto');
    expect((await jobs.listOpen('QUEUED')).map((j) => j.jobId)).toEqual([a.jobId, d.jobId]);
  });

  it('skips and removes a stale marker left by a crash after a job closed', async () => {
    const job = await newJob();
    await jobs.move(job.jobId, 'CANCELED', { cause: 'person', by: 'otto' });
    await table.put({ ...keys.openJob(job.jobId), jobId: job.jobId }); // as if the delete never happened
    expect(await jobs.listOpen()).toEqual([]);
    expect(await table.get(keys.openJob(job.jobId))).toBeUndefined();
  });

  it('times out open jobs with no news, only those', async () => {
    const old = await newJob();
    clock += 31 * 60_000;
    const fresh = await newJob();
    expect(await sweepTimedOutJobs(jobs, clock, 30 * 60_000)).toEqual([old.jobId]);
    expect((await jobs.get(old.jobId))?.state).toBe('TIMED_OUT');
    expect((await jobs.listOpen()).map((j) => j.jobId)).toEqual([fresh.jobId]);
  });
});
