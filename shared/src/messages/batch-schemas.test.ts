import { describe, expect, it } from 'vitest';
import { MAX_BATCH_ROWS } from './batch-csv';
import { BatchCardViewSchema, BatchViewSchema, StartBatchSchema } from './batch-schemas';
import { expectField, MISSING } from './schema-fields.test-support';

/*
 * The batch API's bodies and answers (docs/batches.md): one good value parses to itself,
 * each constraint is tried at its boundary from both sides (docs/mutation-testing.md).
 */

const start = {
  agentId: 'agent-1',
  reader: 'Virtual PCD 00 00',
  encodingId: 'write-ef',
  version: 2,
  count: 5,
  csv: 'HELLO\nworld\n',
  stopAfterConsecutiveFailures: 3,
};

describe('starting a batch', () => {
  it('takes a counted batch as it is, and stops after 3 failures in a row by default', () => {
    expect(StartBatchSchema.parse(start)).toEqual(start);
    const { stopAfterConsecutiveFailures: _k, version: _v, ...minimal } = start;
    expect(StartBatchSchema.parse(minimal)).toEqual({ ...minimal, stopAfterConsecutiveFailures: 3 });
  });

  it('checks each member at its limits', () => {
    expectField(StartBatchSchema, start, ['agentId'], {
      good: ['a', 'a'.repeat(64)],
      bad: ['', 'a'.repeat(65), MISSING],
    });
    expectField(StartBatchSchema, start, ['reader'], {
      good: ['r', 'r'.repeat(256)],
      bad: ['', 'r'.repeat(257), MISSING],
    });
    expectField(StartBatchSchema, start, ['encodingId'], {
      good: ['e', 'e'.repeat(64)],
      bad: ['', 'e'.repeat(65), MISSING],
    });
    expectField(StartBatchSchema, start, ['version'], { good: [1], bad: [0, 1.5] });
    expectField(StartBatchSchema, start, ['count'], {
      good: [1, MAX_BATCH_ROWS],
      bad: [0, MAX_BATCH_ROWS + 1, 1.5],
    });
    expectField(StartBatchSchema, start, ['csv'], {
      good: ['', 'x'.repeat(200_000)],
      bad: ['x'.repeat(200_001), MISSING],
    });
    expectField(StartBatchSchema, start, ['stopAfterConsecutiveFailures'], {
      good: [1, 1000],
      bad: [0, 1001, 2.5],
    });
  });

  it('takes either a count or untilStopped: true, never both nor neither', () => {
    const { count: _c, ...uncounted } = start;
    const untilStopped = { ...uncounted, untilStopped: true };
    expect(StartBatchSchema.parse(untilStopped)).toEqual(untilStopped);
    expect(StartBatchSchema.parse({ ...start, untilStopped: false })).toEqual({
      ...start,
      untilStopped: false,
    });
    const refusals = [{ ...start, untilStopped: true }, uncounted, { ...uncounted, untilStopped: false }];
    for (const body of refusals) {
      const parsed = StartBatchSchema.safeParse(body);
      expect(parsed.success, JSON.stringify(body)).toBe(false);
      expect(parsed.error?.issues).toEqual([
        expect.objectContaining({ message: 'give either count or untilStopped: true', path: ['count'] }),
      ]);
    }
  });
});

describe('a batch as the API shows it', () => {
  const card = { index: 1, jobId: 'job-1', state: 'SUCCEEDED', atr: '3B00', serial: '42' };
  const view = {
    batchId: 'b-1',
    agentId: 'agent-1',
    office: 'berlin',
    reader: 'Virtual PCD 00 00',
    encoding: { id: 'write-ef', version: 2 },
    state: 'RUNNING',
    reason: 'stopped by otto',
    count: 5,
    untilStopped: false,
    stopAfterConsecutiveFailures: 3,
    startedAt: 't',
    startedBy: 'otto',
    endedAt: 't',
    done: 1,
    failed: 0,
    running: 1,
    remaining: 3,
    currentCard: 2,
    cardsPerHour: 12.5,
    cards: [card],
  };

  it('parses a card of the batch, numbered from 1, in a job state', () => {
    expect(BatchCardViewSchema.parse(card)).toEqual(card);
    expectField(BatchCardViewSchema, card, ['index'], { good: [2], bad: [0, 1.5, MISSING] });
    expectField(BatchCardViewSchema, card, ['state'], { good: ['QUEUED'], bad: ['RUNNING', MISSING] });
    expectField(BatchCardViewSchema, card, ['atr'], { good: [MISSING] });
    expectField(BatchCardViewSchema, card, ['serial'], { good: [MISSING] });
  });

  it('parses a batch with every member, and one with only the required ones', () => {
    expect(BatchViewSchema.parse(view)).toEqual(view);
    const { reason: _r, count: _c, endedAt: _e, remaining: _m, ...required } = view;
    expect(BatchViewSchema.parse({ ...required, cards: [] })).toEqual({ ...required, cards: [] });
    expectField(BatchViewSchema, view, ['state'], {
      good: ['STOPPED', 'COMPLETED', 'HALTED'],
      bad: ['OPEN', 'running', MISSING],
    });
    expectField(BatchViewSchema, view, ['encoding', 'version'], { bad: [1.5, MISSING] });
    expectField(BatchViewSchema, view, ['cardsPerHour'], { good: [0], bad: ['12', MISSING] });
    expectField(BatchViewSchema, view, ['cards', 0, 'index'], { bad: [0] });
    for (const key of ['done', 'failed', 'running', 'currentCard', 'stopAfterConsecutiveFailures'])
      expectField(BatchViewSchema, view, [key], { bad: [0.5, MISSING] });
  });
});
