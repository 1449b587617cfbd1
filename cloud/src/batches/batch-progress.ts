import {
  type BatchState,
  type BatchView,
  countsAsBatchFailure,
  isOpen,
  type JobState,
} from '@cardfleet/shared';
import type { Batch, BatchCard } from './batch-store';

/**
 * A batch's state machine and progress, pure (docs/batches.md): the stored state moves
 * RUNNING → STOPPED (a person), HALTED (K failed cards in a row, or a card's job refused)
 * or COMPLETED (every card of a counted batch ended), never back. Counters come from the
 * cards' jobs: done = SUCCEEDED, failed = every other end (a FAILED card is set aside; an
 * INTERRUPTED one waits for a person's retry and is done once that attempt succeeds).
 */
export interface CardOutcome extends BatchCard {
  state: JobState;
  serial?: string;
}

/** What a running batch turns into now, or undefined while it goes on. */
export function batchVerdict(
  batch: Pick<Batch, 'state' | 'count' | 'stopAfterConsecutiveFailures'>,
  cards: readonly Pick<CardOutcome, 'index' | 'state'>[],
): { state: Exclude<BatchState, 'RUNNING'>; reason: string } | undefined {
  if (batch.state !== 'RUNNING') return undefined;
  const failures = consecutiveFailures(cards);
  if (failures >= batch.stopAfterConsecutiveFailures)
    return { state: 'HALTED', reason: `${failures} cards in a row failed` };
  const ended = cards.filter((card) => !isOpen(card.state)).length;
  if (batch.count !== undefined && ended >= batch.count && cards.length >= batch.count)
    return { state: 'COMPLETED', reason: `all ${batch.count} cards ended` };
  return undefined;
}

/** Failed cards at the end of the run, in card order (the same rule as the agent's). */
export function consecutiveFailures(cards: readonly Pick<CardOutcome, 'index' | 'state'>[]): number {
  let run = 0;
  for (const card of [...cards].sort((a, b) => a.index - b.index)) {
    if (isOpen(card.state)) continue;
    run = countsAsBatchFailure(card.state) ? run + 1 : 0;
  }
  return run;
}

export function batchView(batch: Batch, cards: readonly CardOutcome[], nowIso: string): BatchView {
  const done = cards.filter((card) => card.state === 'SUCCEEDED').length;
  const running = cards.filter((card) => isOpen(card.state)).length;
  const failed = cards.length - done - running;
  const until = Date.parse(batch.endedAt ?? nowIso);
  const hours = Math.max(0, until - Date.parse(batch.startedAt)) / 3_600_000;
  return {
    batchId: batch.batchId,
    agentId: batch.agentId,
    office: batch.office,
    reader: batch.reader,
    encoding: { id: batch.encoding.id, version: batch.encoding.version },
    state: batch.state,
    ...(batch.reason ? { reason: batch.reason } : {}),
    ...(batch.count === undefined ? {} : { count: batch.count }),
    untilStopped: batch.untilStopped,
    stopAfterConsecutiveFailures: batch.stopAfterConsecutiveFailures,
    startedAt: batch.startedAt,
    startedBy: batch.startedBy,
    ...(batch.endedAt ? { endedAt: batch.endedAt } : {}),
    done,
    failed,
    running,
    ...(batch.count === undefined ? {} : { remaining: Math.max(0, batch.count - done - failed - running) }),
    currentCard: cards.reduce((max, card) => Math.max(max, card.index), 0),
    // Under a second of batch says nothing about a rate.
    cardsPerHour: hours * 3600 < 1 ? 0 : Math.round(((done + failed) / hours) * 10) / 10,
    cards: [...cards]
      .sort((a, b) => a.index - b.index)
      .map((card) => ({
        index: card.index,
        jobId: card.jobId,
        state: card.state,
        ...(card.atr ? { atr: card.atr } : {}),
        ...(card.serial ? { serial: card.serial } : {}),
      })),
  };
}

/** The line the CLI and the station show: "card 7 of 50 — insert the next card". */
export function progressLine(
  view: Pick<BatchView, 'state' | 'count' | 'currentCard' | 'running' | 'done' | 'failed' | 'reason'>,
): string {
  const of = view.count === undefined ? '' : ` of ${view.count}`;
  const tally = `${view.done} done, ${view.failed} failed`;
  if (view.state !== 'RUNNING')
    return `batch ${view.state.toLowerCase()}${view.reason ? ` (${view.reason})` : ''}: ${tally}`;
  if (view.running > 0) return `card ${view.currentCard}${of} — personalising (${tally})`;
  return `card ${view.currentCard + 1}${of} — insert the next card (${tally})`;
}
