import type { BatchView } from '../../api/batches-api';
import { StatusBadge } from '../ui';

/** The batch's progress in words, for the live region: once per card, not per APDU. */
export function batchAnnouncement(batch: BatchView): string {
  const state = batch.state.toLowerCase();
  const of = batch.count !== undefined ? ` of ${batch.count}` : '';
  return `Batch ${state}: ${batch.done}${of} done, ${batch.failed} failed${
    batch.remaining !== undefined ? `, ${batch.remaining} remaining` : ''
  }.`;
}

/** Done / failed / running / remaining, a progress bar for counted batches, and the live region. */
export function BatchCounts({ batch }: { batch: BatchView }) {
  const ended = batch.done + batch.failed;
  return (
    <section class="batch-counts" aria-labelledby="batch-counts-title">
      <h2 id="batch-counts-title">Cards</h2>
      <p>
        State: <StatusBadge state={batch.state} />
        {batch.reason ? <span class="muted-inline"> — {batch.reason}</span> : null}
      </p>
      <p class="visually-hidden" role="status" aria-live="polite">
        {batchAnnouncement(batch)}
      </p>
      <dl class="counts">
        <div class="count count-good">
          <dt>Done</dt>
          <dd>{batch.done}</dd>
        </div>
        <div class="count count-bad">
          <dt>Failed</dt>
          <dd>{batch.failed}</dd>
        </div>
        <div class="count">
          <dt>Running</dt>
          <dd>{batch.running}</dd>
        </div>
        <div class="count">
          <dt>Remaining</dt>
          <dd>{batch.remaining ?? 'until stopped'}</dd>
        </div>
      </dl>
      {batch.count !== undefined ? (
        <div class="apdu-progress">
          <label for="batch-progress">
            {ended} of {batch.count} cards ended
            {batch.currentCard > 0 && batch.state === 'RUNNING'
              ? ` — card ${batch.currentCard} is next or in the reader`
              : ''}
          </label>
          <progress id="batch-progress" max={batch.count} value={ended}>
            {ended} of {batch.count}
          </progress>
        </div>
      ) : null}
      <p class="muted-line">{batch.cardsPerHour.toFixed(1)} cards per hour</p>
    </section>
  );
}
