import { isOpen, type JobProgress, type ProgressEvent } from '@cardfleet/shared';
import type { Job } from './job';

/**
 * The progress the cloud keeps on a job from an agent's event, or undefined when the
 * event must change nothing (docs/messaging.md, "Progress"): progress informs, it is
 * never a record, so whatever arrives out of turn is dropped rather than applied —
 *  - another agent's event, or one of an attempt the job is not on (a retry since);
 *  - an event for a job that has ended: it came after the result (or a cancel, a
 *    timeout, a revocation) and must neither reopen the job nor overwrite its last view;
 *  - an event not newer than the one kept (QoS 0 and parallel rule Lambdas deliver out
 *    of order): by `seq` when both have one, else by the agent's time `at`.
 * `receivedAt` is when the cloud took it in (the job store's clock).
 */
export function acceptedProgress(
  job: Job,
  agentId: string,
  event: ProgressEvent,
  receivedAt: string,
): JobProgress | undefined {
  if (job.agentId !== agentId || job.attempt !== event.attempt || !isOpen(job.state)) return undefined;
  const kept = job.progress;
  if (kept && kept.attempt === event.attempt && !isNewer(event, kept)) return undefined;
  const { jobId: _job, phase, ...counts } = event;
  return { ...counts, phase: phase ?? 'running', receivedAt };
}

function isNewer(event: ProgressEvent, kept: JobProgress): boolean {
  if (event.seq !== undefined && kept.seq !== undefined) return event.seq > kept.seq;
  return Date.parse(event.at) > Date.parse(kept.at);
}
