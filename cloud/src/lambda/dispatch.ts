import { sweepTimedOutJobs } from '../jobs/timeouts';
import { dispatchQueuedJobs } from '../publishing/dispatcher';
import { awsCloud } from './aws-cloud';
import { readLambdaSettings } from './lambda-settings';

/**
 * The scheduled function (sst.config.ts, every minute): publishes jobs that could not
 * be published when they were queued, sends pending cancel messages, and marks open
 * jobs with no news for JOB_TIMEOUT_MINUTES (default 30) TIMED_OUT.
 */
const cloud = await awsCloud();
const { jobTimeoutMinutes } = readLambdaSettings(process.env);

export const handler = async () => {
  const publication = cloud.publication;
  if (!publication) throw new Error('the AWS cloud has no publisher');
  const failures: string[] = [];
  const sent = await dispatchQueuedJobs(publication, (jobId) => failures.push(jobId), 60_000);
  const timeoutMs = jobTimeoutMinutes * 60_000;
  const timedOut = await sweepTimedOutJobs(cloud.jobs, Date.now(), timeoutMs);
  // A signed checkpoint every tick at the latest (docs/cloud.md, "Auditor"): the longest
  // an entry waits to be covered. Damage found here is an alert; the tick goes on.
  const checkpoint = await cloud.audit.checkpoint().then(
    (made) => made.body.index,
    (error: unknown) => `refused: ${(error as Error).message}`,
  );
  return { sent, failures, timedOut, checkpoint };
};
