import { indexKeys, keys } from '../storage/table-design';
import type { Item } from '../storage/table-port';
import type { Job } from './job';

/** The job item and the open-job marker as the table holds them (table-design.ts). */
export function toItem(job: Job, version: number): Item {
  return {
    ...keys.job(job.jobId),
    ...indexKeys.jobsOfOfficeEntry(job.office, job.createdAt, job.jobId),
    job: JSON.stringify(job),
    state: job.state,
    version,
  };
}

/**
 * A marker per open job, so dispatch and the timeout sweep read the open jobs, not every
 * job ever made. Written before a job becomes open, removed after it closed: a crash in
 * between leaves a stale marker (skipped and removed by `listOpen`), never a missing one.
 */
export function openMarker(jobId: string): Item {
  return { ...keys.openJob(jobId), jobId };
}

export function fromItem(item: Item): Job {
  return JSON.parse(String(item.job)) as Job;
}
