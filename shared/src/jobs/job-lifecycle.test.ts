import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_JOB_MOVES } from '../../../test/support/allowed-job-moves';
import {
  AGENT_RESULT_STATUSES,
  canTransition,
  isOpen,
  isRetryable,
  isTerminal,
  JOB_STATES,
  type JobState,
  progressMoves,
  resultState,
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
