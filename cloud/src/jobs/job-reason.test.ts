import { describe, expect, it } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { JobStore } from './job-store';

// Why the cloud ended a job (an error code, e.g. AGENT_REVOKED) stays with that attempt.
describe('the reason a job was ended', () => {
  it('is kept on the job and in its audit entry, and a new attempt starts without it', async () => {
    const table = new MemoryTable();
    const audit = new AuditLog(table, await localSigner('k1'), localKeyWrapper(new Uint8Array(32)));
    const jobs = new JobStore(table, localKeyWrapper(new Uint8Array(32)), audit, () =>
      new Date().toISOString(),
    );
    const { jobId } = await createSampleJob(jobs);
    await jobs.move(jobId, 'CANCELED', { cause: 'revocation', by: 'alice', reason: 'AGENT_REVOKED' });
    expect(await jobs.get(jobId)).toMatchObject({ state: 'CANCELED', reason: 'AGENT_REVOKED' });
    const entry = (await audit.entries()).find((e) => e.action === 'job.canceled');
    expect(entry?.details).toMatchObject({ jobId, reason: 'AGENT_REVOKED' });
    const retried = await jobs.retry(jobId, 'otto');
    expect(retried).toMatchObject({ state: 'QUEUED', attempt: 2 });
    expect(retried).not.toHaveProperty('reason');
    expect(await jobs.get(jobId)).not.toHaveProperty('reason');
  });
});
