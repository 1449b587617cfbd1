import { api, query } from './client';
import type { JobState } from './shared-core';

/**
 * What the jobs and batches pages read of the API (docs/api.md; the schemas are
 * JobDetail, AgentView, EncodingVersion, BatchView in shared/src/messages): only the
 * members shown, so a new member in a view changes nothing here.
 */
export interface JobProgress {
  attempt: number;
  application: string;
  applicationIndex: number;
  applicationCount: number;
  apdusDone: number;
  apdusTotal: number;
  phase: string;
  at: string;
  receivedAt: string;
}

export interface ApduTraceLine {
  line: number;
  command: string;
  sw: string;
  meaning: string;
  responseLength: number;
  durationMs: number;
}

export interface LicenseStatus {
  licensePresent: boolean;
  serialValid: boolean;
  dateValid: boolean;
  startDate: string;
  endDate: string;
  acceptable: boolean;
  batchCardCredit?: number;
}

export interface ApplicationResult {
  name: string;
  kind: string;
  status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  responseCodes?: string;
  outputs: Record<string, string>;
  apdus: ApduTraceLine[];
  steps?: { step: string; status: string; detail?: string }[];
  failure?: { code: string; message: string; line?: number; sw?: string };
  license?: LicenseStatus;
}

export interface JobResult {
  status: string;
  startedAt?: string;
  finishedAt: string;
  card?: { reader: string; atr: string; cardNames: string[]; serial?: string; tokenModel?: string };
  applications: ApplicationResult[];
  error?: { code: string; message: string };
  rejection?: { reason: string; envelopeSha256: string };
}

export interface JobView {
  jobId: string;
  agentId: string;
  office: string;
  encoding: { id: string; version: number; sha256: string };
  reader?: string;
  /** Ran on the agent's in-process dry-run card, never on a reader (docs/security.md, "Dry runs"). */
  dryRun?: true;
  fields: Record<string, string>;
  secretFields: string[];
  state: JobState;
  attempt: number;
  history: { state: JobState; at: string; by: string }[];
  createdAt: string;
  createdBy: string;
  requestId?: string;
  reason?: string;
  cancel?: { attempt: number; requestedAt: string; by: string; sentAt?: string };
  progress?: JobProgress;
}

export interface JobDetail extends JobView {
  result?: JobResult;
}

export interface JobMoved {
  jobId: string;
  state: JobState;
  attempt?: number;
  cancelRequested?: true;
}

export interface JobFilter {
  state?: string | undefined;
  agentId?: string | undefined;
  cardSerial?: string | undefined;
  cursor?: string | undefined;
}

export const JOB_PAGE_SIZE = 50;

export const listJobs = (filter: JobFilter) =>
  api.get<{ items: JobView[]; nextCursor?: string }>(`/v1/jobs${query({ ...filter, limit: JOB_PAGE_SIZE })}`);

export const jobPath = (jobId: string) => `/v1/jobs/${encodeURIComponent(jobId)}`;

export const getJob = (jobId: string) => api.get<JobDetail>(jobPath(jobId));

export interface NewJob {
  agentId: string;
  encodingId: string;
  version?: number;
  reader?: string;
  fields: Record<string, string>;
}

export const createJob = (job: NewJob) => api.post<JobMoved>('/v1/jobs', job);
export const cancelJob = (jobId: string) => api.post<JobMoved>(`${jobPath(jobId)}/cancel`);
export const retryJob = (jobId: string) => api.post<JobMoved>(`${jobPath(jobId)}/retry`);
