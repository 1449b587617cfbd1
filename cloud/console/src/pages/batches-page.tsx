import { useState } from 'preact/hooks';
import { may } from '../access';
import { BatchStartForm } from '../components/batches/batch-start-form';
import { RecentBatches } from '../components/batches/recent-batches';
import { Button, Field, PageHeader } from '../components/ui';
import { navigate } from '../router';
import type { PageProps } from './page-props';

/** Batches: the recent ones, one by its id, and (operators, admins) a new one. */
export function BatchesPage({ identity }: PageProps) {
  const [batchId, setBatchId] = useState('');
  return (
    <>
      <PageHeader title="Batches" />
      <section aria-labelledby="recent-batches-title">
        <h2 id="recent-batches-title">Recent batches</h2>
        <RecentBatches />
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (batchId.trim()) navigate(`/batches/${encodeURIComponent(batchId.trim())}`);
          }}
        >
          <Field id="open-batch" label="Open a batch by its id">
            <input
              id="open-batch"
              class="mono"
              value={batchId}
              onInput={(e) => setBatchId(e.currentTarget.value)}
            />
          </Field>
          <Button type="submit">Open batch</Button>
        </form>
      </section>
      {may.startBatch(identity) ? <BatchStartForm /> : null}
    </>
  );
}
