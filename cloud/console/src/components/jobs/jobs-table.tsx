import type { JobView } from '../../api/jobs-api';
import { Link } from '../link';
import { StatusBadge, Table, Time } from '../ui';

/** Jobs in a table, each linking to its page. */
export function JobsTable({ jobs, caption }: { jobs: JobView[]; caption: string }) {
  if (jobs.length === 0) return <p>No jobs match.</p>;
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">State</th>
          <th scope="col">Agent</th>
          <th scope="col">Encoding</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.jobId}>
            <td>
              <Link to={`/jobs/${encodeURIComponent(job.jobId)}`} class="mono">
                {job.jobId}
              </Link>
            </td>
            <td>
              <StatusBadge state={job.state} />
            </td>
            <td>
              {job.agentId}
              {job.reader ? <span class="muted-line">{job.reader}</span> : null}
            </td>
            <td>
              {job.encoding.id} v{job.encoding.version}
              {job.dryRun ? <span class="muted-line">dry run</span> : null}
            </td>
            <td>
              <Time at={job.createdAt} />
              <span class="muted-line">by {job.createdBy}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
