import { type PublicationDeps, publishCancel, publishJob } from './job-publication';

/**
 * Publishes queued jobs, oldest first (the per-agent `seq` then grows in creation
 * order), then the cancel messages agents have not been sent yet — one read of the
 * open jobs for both. Locally a timer calls it; in AWS the scheduled Dispatch function.
 * A job that cannot be published stays QUEUED and is tried again.
 */
export async function dispatchQueuedJobs(
  deps: PublicationDeps,
  onError?: (jobId: string, error: unknown) => void,
  /** Leave jobs queued more recently than this to the publish-on-queue path. */
  olderThanMs = 0,
): Promise<number> {
  const cutoff = Date.now() - olderThanMs;
  const open = await deps.jobs.listOpen();
  const queued = open.filter(
    (job) => job.state === 'QUEUED' && Date.parse(job.history.at(-1)?.at ?? job.createdAt) <= cutoff,
  );
  const cancels = open.filter(
    (job) => job.state !== 'QUEUED' && job.cancel?.attempt === job.attempt && !job.cancel.sentAt,
  );
  let sent = 0;
  const attempt = async (jobId: string, send: (deps: PublicationDeps, jobId: string) => Promise<unknown>) => {
    try {
      await send(deps, jobId);
      sent++;
    } catch (error) {
      onError?.(jobId, error);
    }
  };
  for (const job of queued) await attempt(job.jobId, publishJob);
  for (const job of cancels) await attempt(job.jobId, publishCancel);
  return sent;
}
