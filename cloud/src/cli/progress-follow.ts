import { CardfleetError, isTerminal } from '@cardfleet/shared';
import type { ApiClient } from './api-client';
import { type FollowedJob, progressLine } from './progress-display';

/**
 * How often `--wait` and `--follow` ask for the job: a progress display a person reads
 * stays current (the agent sends at most about 4 events a second, progress-throttle.ts)
 * while one follower costs the API a few reads a second at most.
 */
export const POLL_INTERVAL_MS = 300;

export interface FollowOptions<J> {
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds, for the deadline (injected: tests run without waiting). */
  now: () => number;
  /** Each view of the job as it was read, the last one in its end state. */
  onView?: (job: J) => void;
}

/** Reads the job until it ends; WAIT_TIMEOUT (naming what it still waits for) after `timeoutMs`. */
export async function followJob<J extends FollowedJob>(
  api: ApiClient,
  jobId: string,
  options: FollowOptions<J>,
): Promise<J> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const job = (await api.request('GET', `/v1/jobs/${encodeURIComponent(jobId)}`)).json as J;
    options.onView?.(job);
    if (isTerminal(job.state)) return job;
    if (options.now() > deadline) {
      const last = progressLine(job);
      throw new CardfleetError(
        'WAIT_TIMEOUT',
        `job ${jobId} is still ${job.state} after ${options.timeoutMs / 1000} s${last ? ` (last progress: ${last.slice(`job ${jobId} `.length)})` : ''}`,
      );
    }
    await options.sleep(POLL_INTERVAL_MS);
  }
}
