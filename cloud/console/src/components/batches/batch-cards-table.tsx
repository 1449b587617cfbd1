import type { BatchView } from '../../api/batches-api';
import { Link } from '../link';
import { StatusBadge, Table } from '../ui';

/** One row per card asked for: its index, its job's state, serial and ATR, and the job's page. */
export function BatchCardsTable({ cards }: { cards: BatchView['cards'] }) {
  if (cards.length === 0) return <p>No card yet: put the first card in the reader.</p>;
  return (
    <Table caption="Cards of the batch, by index">
      <thead>
        <tr>
          <th scope="col">Card</th>
          <th scope="col">State</th>
          <th scope="col">Serial</th>
          <th scope="col">ATR</th>
          <th scope="col">Job</th>
        </tr>
      </thead>
      <tbody>
        {cards.map((card) => (
          <tr key={card.index}>
            <td>{card.index}</td>
            <td>
              <StatusBadge state={card.state} />
            </td>
            <td class="mono">{card.serial ?? '—'}</td>
            <td class="mono">{card.atr ?? '—'}</td>
            <td>
              <Link to={`/jobs/${encodeURIComponent(card.jobId)}`} class="mono">
                {card.jobId}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
