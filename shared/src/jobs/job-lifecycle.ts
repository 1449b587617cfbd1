/**
 * The job lifecycle in one place: the states a job can be in, the statuses an agent may
 * report, and which state moves are allowed for whom (docs/cloud.md "Jobs on the wire",
 * "Results"; docs/messaging.md for progress). The cloud's job store refuses any move
 * this table does not allow for the move's cause.
 */

/** States in which a job has no outcome yet for its attempt. */
export const OPEN_JOB_STATES = ['QUEUED', 'SENT', 'IN_PROGRESS'] as const;

/** Finished, unsuccessful: a person may run the job again (a new attempt). */
export const RETRYABLE_JOB_STATES = ['FAILED', 'REJECTED', 'CANCELED', 'TIMED_OUT', 'INTERRUPTED'] as const;

/** Final states of an attempt; only a retry (a new attempt) leaves one. */
export const TERMINAL_JOB_STATES = ['SUCCEEDED', ...RETRYABLE_JOB_STATES] as const;

/** Every state a job can be in, open ones first. */
export const JOB_STATES = [...OPEN_JOB_STATES, ...TERMINAL_JOB_STATES] as const;

export type JobState = (typeof JOB_STATES)[number];

/** A job is created QUEUED (by a person through the API). */
export const INITIAL_JOB_STATE = 'QUEUED' satisfies JobState;

/**
 * Where an open job of a revoked agent ends (reason AGENT_REVOKED): canceled by the cloud,
 * not failed on a card — nothing the agent reports afterwards is taken.
 */
export const REVOKED_JOB_STATE = 'CANCELED' satisfies JobState;

/** Job states an agent's result moves an open job to (every reported status but DUPLICATE). */
const RESULT_STATES = [
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'CANCELED',
  'INTERRUPTED',
] as const satisfies readonly JobState[];

/**
 * What an agent may report for one execution (the result message's `status`). DUPLICATE
 * is a wire status only: the agent saw this job id and attempt before and did not run it
 * again, so it never becomes a job state. An agent never reports TIMED_OUT: only the
 * cloud's sweep decides that.
 */
export const AGENT_RESULT_STATUSES = [...RESULT_STATES, 'DUPLICATE'] as const;

export type AgentResultStatus = (typeof AGENT_RESULT_STATUSES)[number];

/**
 * Who causes a move: a person through the API (cancel, retry), the cloud's publisher,
 * the agent's first progress event, the agent's result, the cloud's timeout sweep, an
 * admin's revocation of the job's agent.
 */
export const TRANSITION_CAUSES = [
  'person',
  'publisher',
  'agent-progress',
  'agent-result',
  'timeout',
  'revocation',
] as const;

export type TransitionCause = (typeof TRANSITION_CAUSES)[number];

export interface TransitionRule {
  cause: TransitionCause;
  from: readonly JobState[];
  to: readonly JobState[];
}

/** Every allowed move. Anything not listed here is refused by the job store. */
export const JOB_TRANSITIONS: readonly TransitionRule[] = [
  // Cancel of a job that never left the cloud; a SENT/IN_PROGRESS one is only asked to
  // cancel (a signed cancel message) and its state is then decided by the agent's result.
  { cause: 'person', from: ['QUEUED'], to: ['CANCELED'] },
  // Retry: a new attempt, QUEUED again.
  { cause: 'person', from: RETRYABLE_JOB_STATES, to: ['QUEUED'] },
  // SENT just before the publish; back to QUEUED when the publish fails (dispatcher retries).
  { cause: 'publisher', from: ['QUEUED'], to: ['SENT'] },
  { cause: 'publisher', from: ['SENT'], to: ['QUEUED'] },
  // The first progress event of an attempt: the agent started it on the card.
  { cause: 'agent-progress', from: ['SENT'], to: ['IN_PROGRESS'] },
  // A result may overtake the SENT write or a publish-failure's QUEUED: any open state.
  { cause: 'agent-result', from: OPEN_JOB_STATES, to: RESULT_STATES },
  { cause: 'timeout', from: OPEN_JOB_STATES, to: ['TIMED_OUT'] },
  // The job's agent was revoked: nothing it reports counts any more, so its open jobs end
  // here, with reason AGENT_REVOKED (docs/security.md, "Revocation").
  { cause: 'revocation', from: OPEN_JOB_STATES, to: [REVOKED_JOB_STATE] },
];

export function canTransition(from: JobState, to: JobState, cause: TransitionCause): boolean {
  return JOB_TRANSITIONS.some(
    (rule) => rule.cause === cause && rule.from.includes(from) && rule.to.includes(to),
  );
}

export function isOpen(state: JobState): boolean {
  return (OPEN_JOB_STATES as readonly JobState[]).includes(state);
}

export function isTerminal(state: string): boolean {
  return (TERMINAL_JOB_STATES as readonly string[]).includes(state);
}

export function isRetryable(state: JobState): boolean {
  return (RETRYABLE_JOB_STATES as readonly JobState[]).includes(state);
}

/** Whether an agent's progress event moves a job in this state (to IN_PROGRESS). */
export function progressMoves(state: JobState): boolean {
  return canTransition(state, 'IN_PROGRESS', 'agent-progress');
}

/** The job state a reported status stands for; undefined for DUPLICATE (no move). */
export function resultState(status: AgentResultStatus): JobState | undefined {
  return status === 'DUPLICATE' ? undefined : status;
}
