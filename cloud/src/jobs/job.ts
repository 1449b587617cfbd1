import type { JobProgress, JobState } from '@cardfleet/shared';
import type { AdmissionRequest } from '../releases/release-gate';

/** Which version a job may run in its office, under which release (releases/release-gate.ts). */
export interface JobAdmission {
  admit(request: AdmissionRequest): Promise<{ releaseId?: string }>;
}

/** The job's release after it was admitted again (a retry); not admitted: the one it had. */
export function releaseAfter(job: Job, admitted: { releaseId?: string } | undefined): Pick<Job, 'release'> {
  // A dry run never belongs to a release: its outcome says nothing about real cards.
  if (job.dryRun) return {};
  const id = admitted ? admitted.releaseId : job.release?.id;
  return id ? { release: { id } } : {};
}

/** A job as the job store keeps it (docs/architecture.md, "Job lifecycle"). */
export interface Job {
  jobId: string;
  agentId: string;
  office: string;
  encoding: { id: string; version: number; sha256: string };
  /** The release that made the version runnable in the office (docs/releases.md); none for legacy or admin jobs. */
  release?: { id: string };
  reader?: string;
  /** A dry run: the agent runs it on its in-process dry-run card only (docs/security.md, "Dry runs"). */
  dryRun?: true;
  fields: Record<string, string>;
  secretFields: string[];
  state: JobState;
  attempt: number;
  history: { state: JobState; at: string; by: string }[];
  createdAt: string;
  createdBy: string;
  /** The API call that created it (its `x-request-id`): travels in the envelope to the agent's log. */
  requestId?: string;
  /** Why the cloud ended the current attempt, as an error code (AGENT_REVOKED); gone on retry. */
  reason?: string;
  /** A person cancelled the job after it was sent: the agent is told (signed cancel message). */
  cancel?: { attempt: number; requestedAt: string; by: string; sentAt?: string };
  /** The agent's latest progress on this attempt: informative, overwritten, never audited (job-progress.ts). */
  progress?: JobProgress;
}

/** What creating a job takes (job-store.ts). */
export interface NewJob {
  agentId: string;
  office: string;
  encoding: { id: string; version: number; sha256: string };
  secretFieldNames: readonly string[];
  fields: Record<string, string>;
  reader?: string;
  requestId?: string;
  role?: string; // who asks: an admin may run a version not released to the office (docs/releases.md)
  dryRun?: boolean; // on the agent's dry-run card only; in no release (docs/security.md, "Dry runs")
}
