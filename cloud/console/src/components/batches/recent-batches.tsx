import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../../api/client';
import type { JobView } from '../../api/jobs-api';
import { parseBatchRequestId } from '../../api/shared-core';
import { Link } from '../link';
import { ErrorNote, Loading, Table, Time } from '../ui';

interface SeenBatch {
  batchId: string;
  agentId: string;
  encoding: string;
  cards: number;
  lastCardAt: string;
}

const RECENT_JOBS = 500;

/**
 * Batches seen in the latest jobs: each card's job carries its batch in its request id
 * (`batch.<id>.<n>`, docs/batches.md), and the API has no list of batches. A batch whose
 * first card has not come yet is not here: its page is reached from its start.
 */
export function batchesOf(jobs: JobView[]): SeenBatch[] {
  const seen = new Map<string, SeenBatch>();
  for (const job of jobs) {
    const ref = parseBatchRequestId(job.requestId);
    if (!ref) continue;
    const known = seen.get(ref.batchId);
    if (known) {
      known.cards += 1;
      if (job.createdAt > known.lastCardAt) known.lastCardAt = job.createdAt;
    } else
      seen.set(ref.batchId, {
        batchId: ref.batchId,
        agentId: job.agentId,
        encoding: `${job.encoding.id} v${job.encoding.version}`,
        cards: 1,
        lastCardAt: job.createdAt,
      });
  }
  return [...seen.values()].sort((a, b) => b.lastCardAt.localeCompare(a.lastCardAt));
}

export function RecentBatches() {
  const [batches, setBatches] = useState<SeenBatch[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api
      .get<{ items: JobView[] }>(`/v1/jobs${query({ limit: RECENT_JOBS })}`)
      .then((page) => setBatches(batchesOf(page.items)), setError);
  }, []);
  if (error) return <ErrorNote error={error} />;
  if (!batches) return <Loading what="Looking for recent batches" />;
  if (batches.length === 0) return <p>No batch card among the latest {RECENT_JOBS} jobs.</p>;
  return (
    <Table caption="Batches with cards among the latest jobs">
      <thead>
        <tr>
          <th scope="col">Batch</th>
          <th scope="col">Agent</th>
          <th scope="col">Encoding</th>
          <th scope="col">Cards seen</th>
          <th scope="col">Last card</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((b) => (
          <tr key={b.batchId}>
            <td>
              <Link to={`/batches/${encodeURIComponent(b.batchId)}`} class="mono">
                {b.batchId}
              </Link>
            </td>
            <td>{b.agentId}</td>
            <td>{b.encoding}</td>
            <td>{b.cards}</td>
            <td>
              <Time at={b.lastCardAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
