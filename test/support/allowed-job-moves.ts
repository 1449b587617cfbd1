import type { JobState, TransitionCause } from '../../shared/src/jobs/job-lifecycle';

/**
 * Every job-state move the lifecycle allows, with its cause, written out literally here
 * (docs/architecture.md, "Job lifecycle") — never read from the module under test, so a
 * wrong table there cannot make the lifecycle tests agree with it. Used by the module's
 * own test and by the job store's property test.
 */
export const ALLOWED_JOB_MOVES: readonly (readonly [JobState, JobState, TransitionCause])[] = [
  ['QUEUED', 'CANCELED', 'person'],
  ['FAILED', 'QUEUED', 'person'],
  ['REJECTED', 'QUEUED', 'person'],
  ['CANCELED', 'QUEUED', 'person'],
  ['TIMED_OUT', 'QUEUED', 'person'],
  ['INTERRUPTED', 'QUEUED', 'person'],
  ['QUEUED', 'SENT', 'publisher'],
  ['SENT', 'QUEUED', 'publisher'],
  ['SENT', 'IN_PROGRESS', 'agent-progress'],
  ['QUEUED', 'SUCCEEDED', 'agent-result'],
  ['QUEUED', 'FAILED', 'agent-result'],
  ['QUEUED', 'REJECTED', 'agent-result'],
  ['QUEUED', 'CANCELED', 'agent-result'],
  ['QUEUED', 'INTERRUPTED', 'agent-result'],
  ['SENT', 'SUCCEEDED', 'agent-result'],
  ['SENT', 'FAILED', 'agent-result'],
  ['SENT', 'REJECTED', 'agent-result'],
  ['SENT', 'CANCELED', 'agent-result'],
  ['SENT', 'INTERRUPTED', 'agent-result'],
  ['IN_PROGRESS', 'SUCCEEDED', 'agent-result'],
  ['IN_PROGRESS', 'FAILED', 'agent-result'],
  ['IN_PROGRESS', 'REJECTED', 'agent-result'],
  ['IN_PROGRESS', 'CANCELED', 'agent-result'],
  ['IN_PROGRESS', 'INTERRUPTED', 'agent-result'],
  ['QUEUED', 'TIMED_OUT', 'timeout'],
  ['SENT', 'TIMED_OUT', 'timeout'],
  ['IN_PROGRESS', 'TIMED_OUT', 'timeout'],
  ['QUEUED', 'CANCELED', 'revocation'],
  ['SENT', 'CANCELED', 'revocation'],
  ['IN_PROGRESS', 'CANCELED', 'revocation'],
];
