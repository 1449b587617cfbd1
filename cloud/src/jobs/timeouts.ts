import type { JobStore } from './job-store';

/**
 * Jobs with no terminal state in time become TIMED_OUT (docs/cloud.md, Jobs on the wire). Run
 * periodically (a scheduled function in AWS, a timer locally). A result that arrives
 * later is still stored and audited (result-ingestion.ts).
 */
export async function sweepTimedOutJobs(jobs: JobStore, nowMs: number, timeoutMs: number): Promise<string[]> {
  const timedOut: string[] = [];
  for (const job of await jobs.listOpen()) {
    const since = Date.parse(job.history.at(-1)?.at ?? job.createdAt);
    if (nowMs - since < timeoutMs) continue;
    try {
      await jobs.move(job.jobId, 'TIMED_OUT', { cause: 'timeout', by: 'cloud' });
      timedOut.push(job.jobId);
    } catch {
      // it moved meanwhile (a result arrived): nothing to time out
    }
  }
  return timedOut;
}
