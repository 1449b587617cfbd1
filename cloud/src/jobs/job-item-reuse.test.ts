import { describe, expect, it } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MeteredTable } from '../metering/metered-table';
import { UsageMeter } from '../metering/usage-meter';
import { MemoryTable } from '../storage/memory-table';
import { JobStore } from './job-store';

/** Two instances (two Lambdas) over one table, each counting its job-item reads. */
async function twoInstances() {
  const table = new MemoryTable();
  const keyWrapper = localKeyWrapper(new Uint8Array(32));
  const audit = new AuditLog(table, await localSigner('k'), keyWrapper);
  const now = () => '2026-12-06T12:00:00.000Z';
  const instance = () => {
    const meter = new UsageMeter();
    return { meter, jobs: new JobStore(new MeteredTable(table, meter), keyWrapper, audit, now) };
  };
  return { a: instance(), b: instance() };
}

describe('a job move right after a read', () => {
  it('starts from the item just read instead of reading it again', async () => {
    const { a } = await twoInstances();
    const job = await createSampleJob(a.jobs);
    await a.jobs.get(job.jobId);
    a.meter.reset();
    await a.jobs.move(job.jobId, 'SENT', { cause: 'publisher', by: 'cloud', attempt: 1 });
    expect(a.meter.get('ddb.reads:get JOB')).toBe(0);
  });

  it('reads again when another instance changed the job meanwhile, and decides on the fresh item', async () => {
    const { a, b } = await twoInstances();
    const job = await createSampleJob(a.jobs);
    await a.jobs.get(job.jobId); // QUEUED, remembered by instance a
    await b.jobs.requestCancel(job.jobId, 'otto'); // CANCELED, written by instance b
    // Refused on the stale QUEUED item, allowed on the fresh CANCELED one: a retry.
    expect((await a.jobs.retry(job.jobId, 'otto')).attempt).toBe(2);
    // Allowed on the stale item but refused on the fresh one (QUEUED again, attempt 2).
    await b.jobs.requestCancel(job.jobId, 'otto');
    await expect(
      a.jobs.move(job.jobId, 'SENT', { cause: 'publisher', by: 'cloud', attempt: 2 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await a.jobs.get(job.jobId))?.state).toBe('CANCELED');
  });
});
