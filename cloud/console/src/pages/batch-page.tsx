import { useEffect, useState } from 'preact/hooks';
import { may } from '../access';
import { type BatchView, stopBatch, watchBatch } from '../api/batches-api';
import { ApiError } from '../api/client';
import { BatchCardsTable } from '../components/batches/batch-cards-table';
import { BatchCounts } from '../components/batches/batch-counts';
import { Link } from '../components/link';
import { Button, ErrorNote, Loading, PageHeader, Time } from '../components/ui';
import type { PageProps } from './page-props';

/** One batch, followed live: done / failed / remaining, each card and its job; stop. */
export function BatchPage({ identity, route }: PageProps) {
  const batchId = route.params.id ?? '';
  const [batch, setBatch] = useState<BatchView>();
  const [error, setError] = useState<unknown>();
  const [stopping, setStopping] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(
    () =>
      watchBatch(
        batchId,
        (next) => {
          setBatch(next);
          setError(undefined);
        },
        setError,
      ),
    [batchId, round],
  );

  if (!batch) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403))
      return (
        <>
          <PageHeader title="Batch not found" />
          <p class="note note-error" role="alert">
            {error.status === 404 ? 'There is no batch' : 'You may not see the batch'}{' '}
            <span class="mono">{batchId}</span> ({error.status} {error.code}).
          </p>
          <Link to="/batches">Back to the batches</Link>
        </>
      );
    return error ? <ErrorNote error={error} /> : <Loading what="Loading the batch" />;
  }
  const stop = async () => {
    setStopping(true);
    try {
      setBatch(await stopBatch(batch.batchId));
      setRound((n) => n + 1);
    } catch (problem) {
      setError(problem);
    } finally {
      setStopping(false);
    }
  };
  return (
    <>
      <PageHeader title={`Batch ${batch.batchId}`}>
        {batch.state === 'RUNNING' && may.startBatch(identity) ? (
          <Button kind="danger" disabled={stopping} onClick={stop}>
            Stop batch
          </Button>
        ) : null}
      </PageHeader>
      <dl class="facts">
        <dt>Encoding</dt>
        <dd>
          {batch.encoding.id} v{batch.encoding.version}
        </dd>
        <dt>Agent and reader</dt>
        <dd>
          {batch.agentId} ({batch.office}), {batch.reader}
        </dd>
        <dt>Started</dt>
        <dd>
          <Time at={batch.startedAt} /> by {batch.startedBy}
        </dd>
        {batch.endedAt ? (
          <>
            <dt>Ended</dt>
            <dd>
              <Time at={batch.endedAt} />
            </dd>
          </>
        ) : null}
        <dt>Halts after</dt>
        <dd>{batch.stopAfterConsecutiveFailures} failed cards in a row</dd>
      </dl>
      <ErrorNote error={error} />
      <BatchCounts batch={batch} />
      <BatchCardsTable cards={batch.cards} />
    </>
  );
}
