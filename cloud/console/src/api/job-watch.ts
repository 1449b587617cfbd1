import { authHeaders } from './client';
import { followEventStream } from './event-stream';
import { follow } from './follow';
import { getJob, type JobDetail, jobPath } from './jobs-api';
import { isTerminal } from './shared-core';

/**
 * Follows one job until its attempt ends: `onChange` gets the job on each change, pushed
 * by the cloud (`GET /v1/jobs/{id}/events`, docs/console-live-progress.md), or polled
 * once a second when the stream cannot be had (follow.ts). The returned function stops it.
 */
export const watchJob = (
  jobId: string,
  onChange: (job: JobDetail) => void,
  onError: (error: unknown) => void,
): (() => void) =>
  follow({
    load: () => getJob(jobId),
    settled: (job) => isTerminal(job.state),
    onChange,
    onError,
    stream: (onValue, signal) =>
      followEventStream({
        url: `${jobPath(jobId)}/events`,
        headers: () => authHeaders(),
        signal,
        onEvent: (event) => {
          if (event.type === 'job') onValue(JSON.parse(event.data) as JobDetail);
        },
      }),
  });
