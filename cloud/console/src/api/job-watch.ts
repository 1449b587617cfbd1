import { follow } from './follow';
import { getJob, type JobDetail } from './jobs-api';
import { isTerminal } from './shared-core';

/**
 * Follows one job until its attempt ends: `onChange` gets the job each time it may have
 * changed (state, progress, result). The returned function stops it earlier.
 */
export const watchJob = (
  jobId: string,
  onChange: (job: JobDetail) => void,
  onError: (error: unknown) => void,
): (() => void) =>
  follow({ load: () => getJob(jobId), settled: (job) => isTerminal(job.state), onChange, onError });
