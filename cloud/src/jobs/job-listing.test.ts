import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import type { JobFilter } from './job-listing';
import { type Job, JobStore } from './job-store';

/** Jobs in three offices, two agents each; every third one CANCELED. */
async function fleetOfJobs(count: number) {
  const table = new MemoryTable();
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 11, 6, 0, 0, 0, tick++)).toISOString();
  const keyWrapper = localKeyWrapper(new Uint8Array(32));
  const audit = new AuditLog(table, await localSigner('k'), keyWrapper);
  const jobs = new JobStore(table, keyWrapper, audit, now);
  const offices = ['berlin', 'lisbon', 'oslo'];
  const made: Job[] = [];
  for (let n = 0; n < count; n++) {
    const office = offices[n % 3] as string;
    const job = await jobs.create(
      {
        agentId: `${office}-${n % 2}`,
        office,
        encoding: { id: 'e', version: 1, sha256: 'a'.repeat(64) },
        secretFieldNames: [],
        fields: {},
      },
      'otto',
    );
    made.push(n % 3 === 0 ? await jobs.requestCancel(job.jobId, 'otto') : job);
  }
  return { jobs, made, offices };
}

/** Every page from the first, following the cursors. */
async function allPages(jobs: JobStore, filter: JobFilter, offices: string[], limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await jobs.listPage(filter, offices, { limit, ...(cursor ? { cursor } : {}) });
    expect(page.jobs.length).toBeLessThanOrEqual(limit);
    pages.push(page.jobs.map((j) => j.jobId));
    cursor = page.cursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('listing jobs a page at a time', () => {
  it('returns every job of the caller’s offices once, office by office, oldest first, for any page size', async () => {
    const { jobs, made, offices } = await fleetOfJobs(23);
    const expected = [...made]
      .sort((a, b) => a.office.localeCompare(b.office) || a.createdAt.localeCompare(b.createdAt))
      .map((j) => j.jobId);
    for (const limit of [1, 2, 5, 7, 8, 23, 100]) {
      const pages = await allPages(jobs, {}, offices, limit);
      expect(pages.flat(), `limit ${limit}`).toEqual(expected);
      expect(
        pages.slice(0, -1).every((p) => p.length === limit),
        `limit ${limit}`,
      ).toBe(true);
    }
  });

  it('keeps to the filters and the caller’s offices, without gaps or duplicates', async () => {
    const { jobs, made } = await fleetOfJobs(30);
    const canceledInBerlinAndOslo = made
      .filter((j) => j.state === 'CANCELED' && j.office !== 'lisbon')
      .sort((a, b) => a.office.localeCompare(b.office) || a.createdAt.localeCompare(b.createdAt))
      .map((j) => j.jobId);
    expect((await allPages(jobs, { state: 'CANCELED' }, ['oslo', 'berlin'], 3)).flat()).toEqual(
      canceledInBerlinAndOslo,
    );
    const agent = made.filter((j) => j.agentId === 'oslo-1').map((j) => j.jobId);
    expect((await allPages(jobs, { agentId: 'oslo-1' }, ['berlin', 'lisbon', 'oslo'], 2)).flat()).toEqual(
      agent,
    );
    expect((await allPages(jobs, { office: 'lisbon' }, ['berlin'], 5)).flat()).toEqual([]);
  });

  it('pages a card’s jobs from the ids the card index gave, dropping those the caller may not see', async () => {
    const { jobs, made } = await fleetOfJobs(9);
    const ids = made.map((j) => j.jobId);
    const seen = (await allPages(jobs, { jobIds: ids }, ['berlin', 'oslo'], 2)).flat();
    expect(seen).toEqual(made.filter((j) => j.office !== 'lisbon').map((j) => j.jobId));
  });

  it('refuses a cursor it did not hand out', async () => {
    const { jobs, offices } = await fleetOfJobs(2);
    await expect(jobs.listPage({}, offices, { limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
    });
    const foreign = Buffer.from(JSON.stringify({ office: 'tokyo', after: '' })).toString('base64url');
    await expect(jobs.listPage({}, offices, { limit: 1, cursor: foreign })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
    });
  });
});
