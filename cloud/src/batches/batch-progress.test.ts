import type { JobState } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { batchVerdict, batchView, consecutiveFailures, progressLine } from './batch-progress';
import type { Batch } from './batch-store';

const batch: Batch = {
  batchId: 'b-1',
  agentId: 'agent-1',
  office: 'berlin',
  reader: 'R0',
  encoding: { id: 'e', version: 1, sha256: '0'.repeat(64) },
  count: 4,
  untilStopped: false,
  stopAfterConsecutiveFailures: 2,
  secretFields: [],
  state: 'RUNNING',
  startedAt: '2026-12-06T06:00:00.000Z',
  startedBy: 'otto',
};
const cards = (...states: JobState[]) =>
  states.map((state, i) => ({ index: i + 1, jobId: `j${i + 1}`, requestedAt: batch.startedAt, state }));

describe('the batch state machine', () => {
  it('goes on while cards run or succeed, and completes when every counted card ended', () => {
    expect(batchVerdict(batch, cards('SUCCEEDED', 'IN_PROGRESS'))).toBeUndefined();
    expect(batchVerdict(batch, cards('SUCCEEDED', 'FAILED', 'SUCCEEDED', 'QUEUED'))).toBeUndefined();
    expect(batchVerdict(batch, cards('SUCCEEDED', 'FAILED', 'SUCCEEDED', 'INTERRUPTED'))).toEqual({
      state: 'COMPLETED',
      reason: 'all 4 cards ended',
    });
    const { count: _count, ...untilStopped } = batch;
    expect(batchVerdict(untilStopped, cards('SUCCEEDED', 'SUCCEEDED'))).toBeUndefined();
  });

  it('halts at K failures in a row; anything else between them starts the count again', () => {
    expect(batchVerdict(batch, cards('FAILED', 'REJECTED'))).toEqual({
      state: 'HALTED',
      reason: '2 cards in a row failed',
    });
    expect(consecutiveFailures(cards('FAILED', 'SUCCEEDED', 'FAILED'))).toBe(1);
    expect(consecutiveFailures(cards('FAILED', 'INTERRUPTED', 'FAILED'))).toBe(1);
    // A card still running does not break the run it sits in.
    expect(consecutiveFailures(cards('FAILED', 'IN_PROGRESS', 'FAILED'))).toBe(2);
  });

  it('never moves a batch that ended', () => {
    expect(batchVerdict({ ...batch, state: 'STOPPED' }, cards('FAILED', 'FAILED'))).toBeUndefined();
  });
});

describe('the batch view and its progress line', () => {
  it('counts done, failed, running and remaining, and the cards per hour since the start', () => {
    const view = batchView(batch, cards('SUCCEEDED', 'FAILED', 'IN_PROGRESS'), '2026-12-06T06:30:00.000Z');
    expect(view).toMatchObject({
      done: 1,
      failed: 1,
      running: 1,
      remaining: 1,
      currentCard: 3,
      cardsPerHour: 4,
    });
    expect(progressLine(view)).toBe('card 3 of 4 — personalising (1 done, 1 failed)');
    const waiting = batchView(batch, cards('SUCCEEDED'), '2026-12-06T06:30:00.000Z');
    expect(progressLine(waiting)).toBe('card 2 of 4 — insert the next card (1 done, 0 failed)');
    const ended = batchView({ ...batch, state: 'HALTED', reason: 'r' }, cards('FAILED'), batch.startedAt);
    expect(ended.cardsPerHour).toBe(0);
    expect(progressLine(ended)).toBe('batch halted (r): 0 done, 1 failed');
  });
});
