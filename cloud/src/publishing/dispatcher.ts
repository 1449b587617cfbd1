import { type PublicationDeps, publishCancel, publishJob } from './job-publication';

/**
 * Publishes queued jobs, oldest first, then pending cancel messages (the per-agent `seq` then grows in creation
 * order). Locally a timer calls it; in AWS a scheduled function or the job-creation
 * path would. A job that cannot be published stays QUEUED and is tried again.
 */
export async function dispatchQueuedJobs(
  deps: PublicationDeps,
  onError?: (jobId: string, error: unknown) => void,
  /** Leave jobs queued more recently than this to the publish-on-queue path. */
  olderThanMs = 0,
): Promise<number> {
  const cutoff = Date.now() - olderThanMs;
  const queued = (await deps.jobs.listOpen('QUEUED')).filter(
    (job) => Date.parse(job.history.at(-1)?.at ?? job.createdAt) <= cutoff,
  );
  let sent = 0;
  for (const job of queued) {
    try {
      await publishJob(deps, job.jobId);
      sent++;
    } catch (error) {
      onError?.(job.jobId, error);
    }
  }
  // Cancels of sent jobs the agent has not been told about yet.
  for (const job of await deps.jobs.listOpen()) {
    if (job.state === 'QUEUED') continue;
    if (!job.cancel || job.cancel.sentAt || job.cancel.attempt !== job.attempt) continue;
    try {
      await publishCancel(deps, job.jobId);
      sent++;
    } catch (error) {
      onError?.(job.jobId, error);
    }
  }
  return sent;
}
