import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobLedger } from './job-ledger';
import { ResultOutbox } from './result-outbox';

const result = (jobId: string) => ({
  jobId,
  attempt: 1,
  agentId: 'a',
  status: 'SUCCEEDED' as const,
  finishedAt: '2026-11-29T12:00:00.000Z',
  applications: [],
});

describe('the on-disk ledger and outbox survive a restart', () => {
  it('keeps accepted jobs, results, the highest seq and cancels; ignores a torn last line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cardfleet-ledger-')), 'ledger.jsonl');
    const before = new JobLedger(path);
    before.accept('job-1:1', 4);
    before.recordResult('job-1:1', result('job-1'));
    before.accept('job-2:1', 7);
    before.cancel('job-3:1');
    before.cancel('job-3:1'); // once on disk
    appendFileSync(path, '{"jti":"job-9:1","se'); // the process died mid-write
    const after = new JobLedger(path);
    expect(after.lastSeq()).toBe(7);
    expect(after.lookup('job-1:1')?.result?.status).toBe('SUCCEEDED');
    expect(after.unfinished()).toEqual(['job-2:1']);
    expect(after.isCancelled('job-3:1')).toBe(true);
    expect(after.isCancelled('job-3:2')).toBe(false); // a retry is another execution
    expect(readFileSync(path, 'utf8').match(/cancelled/g)).toHaveLength(1);
  });

  it('lists unacknowledged results by key, only older ones when asked, and forgets acknowledged ones', () => {
    let ms = 1_000;
    const clock = { monotonicMs: () => ms, isoNow: () => new Date(ms).toISOString() };
    const directory = mkdtempSync(join(tmpdir(), 'cardfleet-outbox-'));
    const outbox = new ResultOutbox(directory, clock);
    outbox.put('job-1:1', JSON.stringify({ result: result('job-1'), signature: 's' }));
    expect(outbox.pending().map((p) => p.key)).toEqual(['job-1:1']);
    expect(outbox.pending(60_000)).toEqual([]); // written just now
    ms += 30;
    expect(outbox.pending(20).map((p) => p.key)).toEqual(['job-1:1']);
    expect(outbox.pending(31)).toEqual([]);
    // After a restart the file counts as waiting since before the run.
    expect(new ResultOutbox(directory, clock).pending(60_000).map((p) => p.key)).toEqual(['job-1:1']);
    outbox.acknowledge('job-1:1');
    expect(outbox.pending()).toEqual([]);
  });
});
