import type { JobResult } from '@cardfleet/shared';
import type { EncodingRun } from '../runner/job-runner';

/**
 * Every JobResult the agent writes comes from here (docs/messaging.md, "Result"): which
 * execution, by whom, when it finished and how it ended. A result of an accepted job
 * carries `startedAt`; an INTERRUPTED one cannot tell it and a REJECTED one never started.
 */
export interface Execution {
  jobId: string;
  attempt: number;
  agentId: string;
}

export interface StartedExecution extends Execution {
  startedAt: string;
}

/** The error of a job cancelled in the cloud before it touched the card. */
export const CANCELED_ERROR = {
  code: 'CANCELED',
  message: 'cancelled in the cloud before it touched the card',
} as const;

/**
 * The journal shows the job started but unfinished: the agent stopped while it ran. It
 * is reported, never run again — the card may be half-personalised and a person decides
 * whether to retry (docs/messaging.md, "Job envelope").
 */
export function interruptedResult(execution: Execution, finishedAt: string): JobResult {
  return {
    ...execution,
    status: 'INTERRUPTED',
    finishedAt,
    applications: [],
    error: {
      code: 'AGENT_RESTARTED',
      message: 'the agent stopped while this job was running; it was not run again',
    },
  };
}

export function cancelledResult(execution: StartedExecution, finishedAt: string): JobResult {
  return { ...execution, status: 'CANCELED', finishedAt, applications: [], error: { ...CANCELED_ERROR } };
}

/** The job could not run: an invalid bundle, or a reader that cannot be reached. */
export function failedResult(
  execution: StartedExecution,
  finishedAt: string,
  error: { code: string; message: string },
): JobResult {
  return { ...execution, status: 'FAILED', finishedAt, applications: [], error };
}

/**
 * A refused envelope is named by its sha256, never by its unverified content: the job
 * id is `envelope:<first 16 hex digits>`, attempt 1 (docs/messaging.md, "Job envelope").
 */
export function rejectedResult(
  agentId: string,
  envelopeSha256: string,
  finishedAt: string,
  error: { code: string; message: string },
): JobResult {
  return {
    jobId: `envelope:${envelopeSha256.slice(0, 16)}`,
    attempt: 1,
    agentId,
    status: 'REJECTED',
    finishedAt,
    applications: [],
    error,
    rejection: { reason: error.code, envelopeSha256 },
  };
}

/** The run on the card, as it went; with `cancelled`, a run that never touched the card ends CANCELED. */
export function completedResult(
  execution: StartedExecution,
  finishedAt: string,
  run: EncodingRun,
  cancelled = false,
): JobResult {
  return {
    ...execution,
    status: cancelled ? 'CANCELED' : run.status,
    finishedAt,
    card: run.card,
    applications: run.applications,
    ...(cancelled ? { error: { ...CANCELED_ERROR } } : run.error ? { error: run.error } : {}),
  };
}
