import { CardfleetError, type ErrorCode } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { contendedTable } from '../../../test/support/contended-table';
import { createSampleJob } from '../../../test/support/sample-job';
import { AgentStore } from '../agents/agent-store';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { EncodingStore } from '../encodings/encoding-store';
import { JobStore } from '../jobs/job-store';
import { createApp } from './app';
import type { CardIndex } from './routes/jobs';

/** The app over an in-memory table whose conditional writes lose when `loses` says so. */
async function appWith(options: { jobsForCard?: CardIndex } = {}) {
  const loses = { putNew: false, putIfVersion: false, unavailable: false };
  const table = contendedTable(loses);
  const signer = await localSigner('k1');
  const keyWrapper = localKeyWrapper(new Uint8Array(32));
  const audit = new AuditLog(table, signer, keyWrapper, { sleep: async () => undefined });
  const now = () => '2026-12-01T10:00:00.000Z';
  const jobs = new JobStore(table, keyWrapper, audit, now);
  const logged: string[] = [];
  const app = createApp({
    tokens: { verify: async () => ({ sub: 'alice', role: 'admin' }) },
    encodings: new EncodingStore(table, keyWrapper, audit, now),
    agents: new AgentStore(table, audit, now),
    jobs,
    results: async () => undefined,
    jobsForCard: options.jobsForCard ?? (async () => []),
    audit,
    signer,
    log: (line) => logged.push(line),
  });
  const request = (method: string, path: string) =>
    app.request(path, { method, headers: { authorization: 'Bearer t' } });
  return { request, jobs, loses, logged };
}

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

const INTERNAL_BODY = { error: { code: 'INTERNAL', message: 'internal error', details: {} } };

describe('API error answers', () => {
  it('answers an internal error as INTERNAL without its text, and logs it once with its cause', async () => {
    const { request, logged } = await appWith({
      jobsForCard: async () => {
        throw new CardfleetError('DECRYPTION_FAILED', 'item sealed with key k-internal-7 does not open', {
          cause: new Error('unsupported state or unable to authenticate data'),
          details: { keyId: 'k-internal-7' },
        });
      },
    });
    const response = await request('GET', '/v1/jobs?cardSerial=S1');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual(INTERNAL_BODY);
    expect(text).not.toContain('k-internal-7');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('DECRYPTION_FAILED');
    expect(logged[0]).toContain('unable to authenticate data');
  });

  it('answers a code missing from the catalogue as INTERNAL too', async () => {
    const { request, logged } = await appWith({
      jobsForCard: async () => {
        throw new CardfleetError('NOT_A_CATALOGUED_CODE' as ErrorCode, 'index partition CARD#S1 unreadable');
      },
    });
    const response = await request('GET', '/v1/jobs?cardSerial=S1');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(INTERNAL_BODY);
    expect(logged).toEqual([expect.stringContaining('NOT_A_CATALOGUED_CODE')]);
  });

  it('answers a job write that keeps losing to other writers with 503 and Retry-After', async () => {
    const { request, jobs, loses, logged } = await appWith();
    const job = await createSampleJob(jobs);
    loses.putIfVersion = true;
    const response = await request('POST', `/v1/jobs/${job.jobId}/cancel`);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(response)).code).toBe('WRITE_CONTENTION');
    expect(logged).toEqual([]);
  });

  it('answers an audit chain that keeps losing its appends with 503 and Retry-After', async () => {
    const { request, jobs, loses } = await appWith();
    const job = await createSampleJob(jobs);
    loses.putNew = true;
    const response = await request('POST', `/v1/jobs/${job.jobId}/cancel`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).not.toBeNull();
    expect((await errorOf(response)).code).toBe('AUDIT_CONTENTION');
  });

  it('answers an unavailable table with 503 and Retry-After, and logs the failure once', async () => {
    const { request, jobs, loses, logged } = await appWith();
    const job = await createSampleJob(jobs);
    loses.unavailable = true;
    const response = await request('GET', `/v1/jobs/${job.jobId}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).not.toBeNull();
    expect((await errorOf(response)).code).toBe('STORAGE_UNAVAILABLE');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('ThrottlingException');
  });

  it('keeps a genuine client conflict a 409 with its message, and logs nothing', async () => {
    const { request, jobs, logged } = await appWith();
    const job = await createSampleJob(jobs);
    await jobs.move(job.jobId, 'TIMED_OUT', { cause: 'timeout', by: 'cloud' });
    const response = await request('POST', `/v1/jobs/${job.jobId}/cancel`);
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await errorOf(response)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('TIMED_OUT'),
    });
    expect(logged).toEqual([]);
  });
});
