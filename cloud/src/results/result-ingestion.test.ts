import { type JobResult, parseJobResult } from '@cardfleet/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { AgentStore } from '../agents/agent-store';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { JobStore } from '../jobs/job-store';
import { EnvelopeRecords } from '../publishing/envelope-records';
import { MemoryTable } from '../storage/memory-table';
import { RejectionReports } from './rejection-reports';
import { type IngestDeps, type IngestStep, ingestResult } from './result-ingestion';
import { ResultStore } from './result-store';

describe('result ingestion (idempotent by job id + attempt)', () => {
  let deps: IngestDeps;
  let results: ResultStore;
  let audit: AuditLog;
  let signer: Awaited<ReturnType<typeof localSigner>>;
  let jobs: JobStore;
  const now = () => '2026-11-29T12:00:00.000Z';
  const newJob = () => createSampleJob(jobs);
  const resultOf = (jobId: string, extra: Partial<JobResult> = {}): JobResult => ({
    jobId,
    attempt: 1,
    agentId: 'agent-1',
    status: 'SUCCEEDED',
    finishedAt: '2026-11-29T12:00:01.000Z',
    card: {
      reader: 'Virtual PCD 00 00',
      atr: '3BD218008131FE58C90217',
      cardNames: [],
      tokenSerial: '0123456789ABCDEF',
    },
    applications: [],
    ...extra,
  });
  beforeEach(async () => {
    const table = new MemoryTable();
    signer = await localSigner('k1');
    audit = new AuditLog(table, signer, localKeyWrapper(new Uint8Array(32)));
    jobs = new JobStore(table, localKeyWrapper(new Uint8Array(32)), audit, now);
    results = new ResultStore(table);
    const rejections = new RejectionReports(table, new AgentStore(table, audit, now), audit, now);
    deps = { results, envelopes: new EnvelopeRecords(table), jobs, audit, rejections, now };
  });

  const resultAudits = async (jobId: string) =>
    (await audit.entries()).filter((e) => e.action === 'job.result' && e.details?.jobId === jobId);

  it('stores the result, audits it and moves the job once, however often it is delivered', async () => {
    const job = await newJob();
    const first = await ingestResult(deps, resultOf(job.jobId), 'agent-signature');
    const second = await ingestResult(deps, resultOf(job.jobId), 'agent-signature');
    expect(first).toMatchObject({ state: 'SUCCEEDED', duplicate: false });
    expect(second).toMatchObject({ state: 'SUCCEEDED', duplicate: true });
    expect(await resultAudits(job.jobId)).toHaveLength(1);
    expect((await jobs.get(job.jobId))?.history.map((h) => h.state)).toEqual(['QUEUED', 'SUCCEEDED']);
    expect((await results.read(job.jobId, 1))?.card?.tokenSerial).toBe('0123456789ABCDEF');
  });

  it('keeps a retried job as it is when a late copy of the earlier attempt arrives', async () => {
    const job = await newJob();
    await ingestResult(deps, resultOf(job.jobId, { status: 'INTERRUPTED' }));
    await jobs.retry(job.jobId, 'otto');
    const late = await ingestResult(deps, resultOf(job.jobId, { status: 'INTERRUPTED' }));
    expect(late).toMatchObject({ state: 'QUEUED', duplicate: true });
    expect(await jobs.get(job.jobId)).toMatchObject({ state: 'QUEUED', attempt: 2 });
  });

  it('refuses to move a job for an attempt it is no longer on (the guard inside the optimistic move)', async () => {
    const job = await newJob();
    await jobs.move(job.jobId, 'INTERRUPTED', { cause: 'agent-result', by: 'agent:agent-1', attempt: 1 });
    await jobs.retry(job.jobId, 'otto');
    await expect(
      jobs.move(job.jobId, 'FAILED', { cause: 'agent-result', by: 'agent:agent-1', attempt: 1 }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await jobs.get(job.jobId)).toMatchObject({ state: 'QUEUED', attempt: 2 });
  });

  for (const crashAfter of ['parts', 'index', 'audit'] as const satisfies readonly IngestStep[]) {
    it(`completes after a crash following the ${crashAfter} write, without writing twice`, async () => {
      const job = await newJob();
      const crashing = {
        ...deps,
        afterStep: (step: IngestStep) => {
          if (step === crashAfter) throw new Error(`crash after ${step}`);
        },
      };
      await expect(ingestResult(crashing, resultOf(job.jobId))).rejects.toThrow('crash');
      await ingestResult(deps, resultOf(job.jobId));
      expect(await resultAudits(job.jobId)).toHaveLength(1);
      expect((await jobs.get(job.jobId))?.history.map((h) => h.state)).toEqual(['QUEUED', 'SUCCEEDED']);
      expect(await audit.verify()).toMatchObject({ ok: true });
    });
  }

  it('splits a large result into parts and reassembles it', async () => {
    const job = await newJob();
    const big = resultOf(job.jobId, {
      applications: [
        { name: 'A', kind: 'apdu', status: 'SUCCEEDED', outputs: { BLOB: 'AB'.repeat(400_000) }, apdus: [] },
      ],
    });
    await ingestResult(deps, big);
    expect((await results.read(job.jobId, 1))?.applications[0]?.outputs.BLOB).toHaveLength(800_000);
  });

  it('stores and audits a result that arrives after TIMED_OUT, keeping the state', async () => {
    const job = await newJob();
    await jobs.move(job.jobId, 'TIMED_OUT', { cause: 'timeout', by: 'cloud' });
    const outcome = await ingestResult(deps, resultOf(job.jobId));
    expect(outcome.state).toBe('TIMED_OUT');
    expect(await results.read(job.jobId, 1)).toBeDefined();
    expect(await resultAudits(job.jobId)).toHaveLength(1);
  });

  it('refuses a malformed result or one from another agent', async () => {
    const job = await newJob();
    await expect(async () => ingestResult(deps, parseJobResult({ jobId: job.jobId }))).rejects.toMatchObject({
      code: 'RESULT_INVALID',
    });
    await expect(ingestResult(deps, resultOf(job.jobId, { agentId: 'agent-2' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
