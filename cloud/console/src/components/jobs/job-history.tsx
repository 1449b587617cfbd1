import type { JobView } from '../../api/jobs-api';
import { StatusBadge, Table, Time } from '../ui';

/** Every state the job went through, oldest first, with who or what moved it. */
export function JobHistory({ history }: { history: JobView['history'] }) {
  return (
    <section aria-labelledby="job-history-title">
      <h2 id="job-history-title">History</h2>
      <Table caption="State history, oldest first">
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">When</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {history.map((entry, i) => (
            <tr key={i}>
              <td>
                <StatusBadge state={entry.state} />
              </td>
              <td>
                <Time at={entry.at} />
              </td>
              <td>{entry.by}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
