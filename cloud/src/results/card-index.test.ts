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
import { type IngestDeps, ingestResult } from './result-ingestion';
import { ResultStore } from './result-store';

describe('the results-by-card index, for every application kind', () => {
  let deps: IngestDeps;
  let results: ResultStore;
  let audit: AuditLog;
  let jobs: JobStore;
  const now = () => '2026-12-06T12:00:00.000Z';
  const resultOf = (jobId: string, card: JobResult['card']): JobResult => ({
    jobId,
    attempt: 1,
    agentId: 'agent-1',
    status: 'SUCCEEDED',
    finishedAt: '2026-12-06T12:00:01.000Z',
    ...(card ? { card } : {}),
    applications: [],
  });
  const base = { reader: 'Virtual PCD 00 00', atr: '3BD218008131FE58C90217', cardNames: [] };
  beforeEach(async () => {
    const table = new MemoryTable();
    const keyWrapper = localKeyWrapper(new Uint8Array(32));
    audit = new AuditLog(table, await localSigner('k1'), keyWrapper);
    jobs = new JobStore(table, keyWrapper, audit, now);
    results = new ResultStore(table);
    const rejections = new RejectionReports(table, new AgentStore(table, audit, now), audit, now);
    deps = { results, envelopes: new EnvelopeRecords(table), jobs, audit, rejections, now };
  });
  const resultAudit = async (jobId: string) =>
    (await audit.entries()).find((e) => e.action === 'job.result' && e.details?.jobId === jobId);

  it('files an APDU job under the serial its encoding read, and audits it in details.cardSerial', async () => {
    const job = await createSampleJob(jobs);
    await ingestResult(
      deps,
      resultOf(job.jobId, { ...base, serial: '0A1B2C3D4E5F6071', serialSource: 'encoding-field' }),
    );
    expect(await results.jobsForCard('0A1B2C3D4E5F6071')).toEqual([job.jobId]);
    expect((await resultAudit(job.jobId))?.details).toMatchObject({ cardSerial: '0A1B2C3D4E5F6071' });
  });

  it('files a PKCS#11 job under its token serial, trimmed, also from an agent that sent only tokenSerial', async () => {
    const named = await createSampleJob(jobs);
    const older = await createSampleJob(jobs);
    await ingestResult(
      deps,
      resultOf(named.jobId, { ...base, tokenSerial: 'T-1   ', serial: 'T-1', serialSource: 'pkcs11-token' }),
    );
    await ingestResult(deps, resultOf(older.jobId, { ...base, tokenSerial: 'T-1   ' }));
    // Both finished at the same instant: the index orders them by job id.
    expect((await results.jobsForCard('T-1')).sort()).toEqual([named.jobId, older.jobId].sort());
  });

  it('files nothing for a card without a readable serial, and its audit entry names none', async () => {
    const job = await createSampleJob(jobs);
    await ingestResult(deps, resultOf(job.jobId, { ...base, serialSource: 'none' }));
    expect((await resultAudit(job.jobId))?.details).not.toHaveProperty('cardSerial');
    expect((await results.read(job.jobId, 1))?.card).toMatchObject({ atr: base.atr, serialSource: 'none' });
  });

  it("files no dry run under the dry-run card's serial (it is no real card), and audits it as a dry run", async () => {
    const job = await jobs.create(
      {
        agentId: 'agent-1',
        office: 'berlin',
        encoding: { id: 'e', version: 1, sha256: 'a'.repeat(64) },
        secretFieldNames: [],
        fields: {},
        dryRun: true,
      },
      'alice',
    );
    const card = {
      ...base,
      reader: 'Dry-run Reader',
      serial: '0A1B2C3D4E5F6071',
      serialSource: 'encoding-field' as const,
    };
    await ingestResult(deps, resultOf(job.jobId, card));
    expect(await results.jobsForCard('0A1B2C3D4E5F6071')).toEqual([]);
    expect((await resultAudit(job.jobId))?.details).toMatchObject({ dryRun: true });
    expect((await resultAudit(job.jobId))?.details).not.toHaveProperty('cardSerial');
    expect((await results.read(job.jobId, 1))?.card).toMatchObject({ serial: '0A1B2C3D4E5F6071' });
  });

  it('parses a result from before the serial fields, and refuses an unknown serial source', () => {
    expect(parseJobResult(resultOf('j', base)).card).toEqual(base);
    expect(() =>
      parseJobResult({ ...resultOf('j', base), card: { ...base, serialSource: 'guessed' } }),
    ).toThrow(expect.objectContaining({ code: 'RESULT_INVALID' }));
  });
});
