import { describe, expect, it, vi } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { ChangeNotifier, notifyingTable, pollingChanges, readVersionedJob } from './job-changes';
import { JobStore } from './job-store';

async function storeOver(table: MemoryTable | ReturnType<typeof notifyingTable>) {
  const audit = new AuditLog(new MemoryTable(), await localSigner('k1'), localKeyWrapper(new Uint8Array(32)));
  return new JobStore(table, localKeyWrapper(new Uint8Array(32)), audit, () => new Date().toISOString());
}

describe('job changes', () => {
  it("in process: tells a job's watchers after each write of that job only, until they unsubscribe", async () => {
    const notifier = new ChangeNotifier();
    const jobs = await storeOver(notifyingTable(new MemoryTable(), notifier));
    const { jobId } = await createSampleJob(jobs);
    const other = await createSampleJob(jobs);
    const told = vi.fn();
    const unsubscribe = notifier.watch(jobId, told);
    await jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    expect(told).toHaveBeenCalledTimes(1);
    await jobs.move(other.jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    expect(told).toHaveBeenCalledTimes(1);
    unsubscribe();
    await jobs.requestCancel(jobId, 'otto');
    expect(told).toHaveBeenCalledTimes(1);
  });

  it('in process: a watcher that throws does not fail the write', async () => {
    const notifier = new ChangeNotifier();
    const jobs = await storeOver(notifyingTable(new MemoryTable(), notifier));
    const { jobId } = await createSampleJob(jobs);
    notifier.watch(jobId, () => {
      throw new Error('a broken stream');
    });
    await expect(jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' })).resolves.toMatchObject({
      state: 'SENT',
    });
  });

  it('by polling: sees a write made through another table instance (another process) by its version', async () => {
    const table = new MemoryTable();
    const jobs = await storeOver(table);
    const { jobId } = await createSampleJob(jobs);
    const told = vi.fn();
    const unsubscribe = pollingChanges(table, 10).watch(jobId, told);
    await vi.waitFor(() => expect(told).toHaveBeenCalledTimes(1)); // the first read, a baseline
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(told).toHaveBeenCalledTimes(1); // nothing changed: nothing told
    await jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' });
    await vi.waitFor(() => expect(told).toHaveBeenCalledTimes(2));
    expect((await readVersionedJob(table, jobId))?.version).toBe(2);
    unsubscribe();
    await jobs.requestCancel(jobId, 'otto');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(told).toHaveBeenCalledTimes(2);
  });
});
