import { ApiError, api, query } from './client';

/**
 * The encodings, releases and dry-run calls of the console (docs/api.md, docs/releases.md).
 * The shapes mirror the API's schemas (shared/src/messages/api-schemas.ts,
 * shared/src/releases/release-schemas.ts); they are written out here so the browser bundle
 * does not pull zod in.
 */

export interface EncodingSummary {
  id: string;
  latestVersion: number;
  sha256: string;
  updatedAt: string;
}

/**
 * A job field a version takes, with the rules the cloud checks its value by
 * (JobFieldSchema, shared/src/encoding/job-field-rules.ts). Older APIs answer only
 * `secretFields`, so the version's `fields` is optional here.
 */
export interface EncodingField {
  name: string;
  secret: boolean;
  required: boolean;
  format: string;
  bytes?: number;
  minBytes?: number;
  maxBytes?: number;
  /** A JavaScript regular expression (anchored) every non-empty value must match. */
  pattern: string;
  uses?: string[];
  description: string;
}

export interface EncodingVersionView {
  id: string;
  version: number;
  sha256: string;
  createdAt: string;
  createdBy: string;
  applications: { name: string; kind: string }[];
  secretFields: string[];
  bundleBytes: number;
  /** Secret literals already replaced by `[REDACTED]` by the API (docs/security.md). */
  files: { name: string; text: string }[];
  managed: boolean;
  fields?: EncodingField[];
}

export type VersionStatus = 'draft' | 'approved' | 'released' | 'retired';

export interface VersionLifecycle {
  encodingId: string;
  version: number;
  status: VersionStatus;
  legacy: boolean;
  uploadedBy: string;
  approvedBy?: string;
  approvedAt?: string;
  retiredBy?: string;
  retiredAt?: string;
}

export interface DiffHunk {
  fromStart: number;
  fromLines: number;
  toStart: number;
  toLines: number;
  lines: string[];
}

export interface EncodingDiff {
  id: string;
  from: number;
  to: number;
  redacted: true;
  files: { name: string; change: 'added' | 'removed' | 'changed'; unified: string; hunks: DiffHunk[] }[];
  diff: string;
}

export type ReleaseState = 'ACTIVE' | 'HALTED' | 'ROLLED_BACK';

export interface Release {
  releaseId: string;
  encodingId: string;
  version: number;
  sha256: string;
  state: ReleaseState;
  stages: string[][];
  stage: number;
  offices: string[];
  thresholds: { firstJobs: number; firstMaxFailures: number; window: number; windowMaxFailureRate: number };
  counts: { counted: number; failed: number; ignored: number };
  halt?: { at: string; by: string; reason: string };
  createdAt: string;
  createdBy: string;
  history: { action: string; at: string; by: string; offices: string[] }[];
}

export type ReleaseAction = 'promote' | 'halt' | 'resume' | 'rollback';

/** One problem of a refused bundle (ENCODING_INVALID's `details.problems`). */
export interface BundleProblem {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** `read_version.apdu:2:30`, as compilers and the CLI print a position. */
export const problemPlace = (p: BundleProblem) =>
  p.file ? [p.file, p.line, p.column].filter((part) => part !== undefined).join(':') : 'the bundle';

export interface BundleFile {
  name: string;
  text: string;
}

const encodingPath = (id: string) => `/v1/encodings/${encodeURIComponent(id)}`;
const versionPath = (id: string, version: number) => `${encodingPath(id)}/versions/${version}`;

export const paths = {
  list: '/v1/encodings',
  version: versionPath,
  lifecycle: (id: string, version: number) => `${versionPath(id, version)}/lifecycle`,
  diff: (id: string, from: number, to: number) => `${encodingPath(id)}/diff${query({ from, to })}`,
  releases: (id: string) => `/v1/releases${query({ encodingId: id })}`,
  agents: '/v1/agents',
};

/** UTF-8 text to base64 (btoa takes Latin-1 only, so encode the bytes first). */
export function base64Text(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** POST /v1/encodings as `cardfleet encodings push <dir>` sends it: `{ id, files: [{ name, base64 }] }`. */
export const pushBundle = (id: string, files: BundleFile[]) =>
  api.post<{ id: string; version: number; sha256: string }>(paths.list, {
    id,
    files: files.map((f) => ({ name: f.name, base64: base64Text(f.text) })),
  });

/** The problems of a refused push, or undefined when the refusal is not about the bundle's content. */
export function bundleProblems(error: unknown): BundleProblem[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'ENCODING_INVALID') return undefined;
  const problems = error.details.problems;
  return Array.isArray(problems) ? (problems as BundleProblem[]) : [];
}

export const approveVersion = (id: string, version: number) =>
  api.post<{ lifecycle: VersionLifecycle; replaces: number | null }>(`${versionPath(id, version)}/approve`);

export const createRelease = (
  id: string,
  version: number,
  body: { stages: string[][]; thresholds?: Partial<Release['thresholds']> },
) => api.post<Release>(`${versionPath(id, version)}/releases`, body);

export const retireVersion = (id: string, version: number, reason?: string) =>
  api.post<VersionLifecycle>(`${versionPath(id, version)}/retire`, reason ? { reason } : {});

export const moveRelease = (releaseId: string, action: ReleaseAction, reason?: string) =>
  api.post<Release>(`/v1/releases/${encodeURIComponent(releaseId)}/${action}`, reason ? { reason } : {});

/** `"berlin; paris, rome; *"` → `[["berlin"], ["paris", "rome"], ["*"]]`: stages by `;`, offices by `,`. */
export function parseStages(text: string): string[][] {
  return text
    .split(';')
    .map((stage) =>
      stage
        .split(',')
        .map((office) => office.trim())
        .filter(Boolean),
    )
    .filter((stage) => stage.length > 0);
}

/* Dry runs (admins): a job flagged `dryRun` runs on the agent's in-process virtual card. */

export interface AgentSummary {
  id: string;
  office: string;
  state: 'PENDING' | 'ACTIVE' | 'REVOKED';
  /** `dryRunCard`: the agent has an in-process card for dry runs (docs/api.md, "Dry runs"). */
  presence?: { status: 'online' | 'offline'; dryRunCard?: boolean };
}

export interface ApduTraceLine {
  line: number;
  command: string;
  sw: string;
  meaning: string;
  responseLength: number;
  durationMs: number;
}

export interface DryRunJob {
  jobId: string;
  dryRun?: true;
  agentId: string;
  state: string;
  encoding: { id: string; version: number; sha256: string };
  reason?: string;
  progress?: { application: string; apdusDone: number; apdusTotal: number; phase: string };
  result?: {
    status: string;
    error?: { code: string; message: string };
    applications: {
      name: string;
      kind: string;
      status: string;
      apdus: ApduTraceLine[];
      failure?: { code: string; message: string; line?: number; sw?: string };
    }[];
  };
}

export const TERMINAL_JOB_STATES = [
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'CANCELED',
  'TIMED_OUT',
  'INTERRUPTED',
];

export const startDryRun = (body: {
  agentId: string;
  encodingId: string;
  version: number;
  fields: Record<string, string>;
}) => api.post<{ jobId: string; state: string }>('/v1/jobs', { ...body, dryRun: true });

export const getJob = (jobId: string) => api.get<DryRunJob>(`/v1/jobs/${encodeURIComponent(jobId)}`);
