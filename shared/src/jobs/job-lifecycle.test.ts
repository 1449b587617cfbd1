import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_JOB_MOVES } from '../../../test/support/allowed-job-moves';
import {
  AGENT_RESULT_STATUSES,
  canTransition,
  INITIAL_JOB_STATE,
  isOpen,
  isRetryable,
  isTerminal,
  JOB_STATES,
  type JobState,
  OPEN_JOB_STATES,
  progressMoves,
  RETRYABLE_JOB_STATES,
  REVOKED_JOB_STATE,
  resultState,
  TERMINAL_JOB_STATES,
  TRANSITION_CAUSES,
  type TransitionCause,
} from './job-lifecycle';

const ALLOWED = ALLOWED_JOB_MOVES;

const allowed = (from: JobState, to: JobState, cause: TransitionCause) =>
  ALLOWED.some(([f, t, c]) => f === from && t === to && c === cause);

const state = fc.constantFrom(...JOB_STATES);
const cause = fc.constantFrom(...TRANSITION_CAUSES);

describe('job lifecycle', () => {
  it('allows exactly the listed moves, each only for its cause', () => {
    fc.assert(
      fc.property(state, state, cause, (from, to, by) => {
        expect(canTransition(from, to, by)).toBe(allowed(from, to, by));
      }),
    );
  });

  it('never leaves a terminal state except by a person retrying an unsuccessful one', () => {
    fc.assert(
      fc.property(state, state, cause, (from, to, by) => {
        if (isTerminal(from) && canTransition(from, to, by)) {
          expect([to, by]).toEqual(['QUEUED', 'person']);
          expect(from).not.toBe('SUCCEEDED');
        }
      }),
    );
  });

  it('splits the states into open and terminal ones', () => {
    for (const s of JOB_STATES) expect(isOpen(s)).toBe(!isTerminal(s));
    expect(JOB_STATES.filter(isOpen)).toEqual(['QUEUED', 'SENT', 'IN_PROGRESS']);
    expect(JOB_STATES.filter(isRetryable)).toEqual([
      'FAILED',
      'REJECTED',
      'CANCELED',
      'TIMED_OUT',
      'INTERRUPTED',
    ]);
    expect(isTerminal('DUPLICATE')).toBe(false);
  });

  it('moves a job to IN_PROGRESS on progress only while it is SENT', () => {
    expect(JOB_STATES.filter(progressMoves)).toEqual(['SENT']);
  });

  it('keeps DUPLICATE a wire status that never moves a job, and lets no agent report TIMED_OUT', () => {
    expect(resultState('DUPLICATE')).toBeUndefined();
    expect(AGENT_RESULT_STATUSES).not.toContain('TIMED_OUT');
    expect(AGENT_RESULT_STATUSES.map(resultState).filter((s) => s !== undefined)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'REJECTED',
      'CANCELED',
      'INTERRUPTED',
    ]);
  });
});

describe('job lifecycle tables', () => {
  it('allow exactly the listed moves, checked over every state, state and cause', () => {
    const moves: (readonly [JobState, JobState, TransitionCause])[] = [];
    for (const from of JOB_STATES)
      for (const to of JOB_STATES)
        for (const by of TRANSITION_CAUSES) if (canTransition(from, to, by)) moves.push([from, to, by]);
    const key = ([f, t, c]: readonly string[]) => `${f} ${t} ${c}`;
    expect(moves.map(key).sort()).toEqual(ALLOWED.map(key).sort());
  });

  it('list the states, open ones first, the terminal ones and the causes in order', () => {
    expect(JOB_STATES).toEqual([
      'QUEUED',
      'SENT',
      'IN_PROGRESS',
      'SUCCEEDED',
      'FAILED',
      'REJECTED',
      'CANCELED',
      'TIMED_OUT',
      'INTERRUPTED',
    ]);
    expect(OPEN_JOB_STATES).toEqual(['QUEUED', 'SENT', 'IN_PROGRESS']);
    expect(TERMINAL_JOB_STATES).toEqual([
      'SUCCEEDED',
      'FAILED',
      'REJECTED',
      'CANCELED',
      'TIMED_OUT',
      'INTERRUPTED',
    ]);
    expect(RETRYABLE_JOB_STATES).toEqual(['FAILED', 'REJECTED', 'CANCELED', 'TIMED_OUT', 'INTERRUPTED']);
    expect(TRANSITION_CAUSES).toEqual([
      'person',
      'publisher',
      'agent-progress',
      'agent-result',
      'timeout',
      'revocation',
    ]);
    expect(AGENT_RESULT_STATUSES).toEqual([
      'SUCCEEDED',
      'FAILED',
      'REJECTED',
      'CANCELED',
      'INTERRUPTED',
      'DUPLICATE',
    ]);
    expect([INITIAL_JOB_STATE, REVOKED_JOB_STATE]).toEqual(['QUEUED', 'CANCELED']);
  });

  it('tell open, terminal and retryable states apart, and no unknown state is terminal', () => {
    expect(JOB_STATES.map((s) => [s, isOpen(s), isTerminal(s), isRetryable(s)])).toEqual([
      ['QUEUED', true, false, false],
      ['SENT', true, false, false],
      ['IN_PROGRESS', true, false, false],
      ['SUCCEEDED', false, true, false],
      ['FAILED', false, true, true],
      ['REJECTED', false, true, true],
      ['CANCELED', false, true, true],
      ['TIMED_OUT', false, true, true],
      ['INTERRUPTED', false, true, true],
    ]);
    expect(isTerminal('')).toBe(false);
  });

  it('map each reported status to the state of the same name', () => {
    expect(AGENT_RESULT_STATUSES.map(resultState)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'REJECTED',
      'CANCELED',
      'INTERRUPTED',
      undefined,
    ]);
  });
});
