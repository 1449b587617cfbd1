import { useEffect, useState } from 'preact/hooks';
import { may } from '../access';
import type { AgentOption } from '../api/job-form-api';
import { type JobFilter, type JobView, listJobs } from '../api/jobs-api';
import { JobFilters } from '../components/jobs/job-filters';
import { JobsTable } from '../components/jobs/jobs-table';
import { Link } from '../components/link';
import { Button, ErrorNote, Loading, PageHeader, useApi } from '../components/ui';
import { navigate } from '../router';
import type { PageProps } from './page-props';

/**
 * The jobs list (GET /v1/jobs; operators see their office's only), a page at a time, in
 * the API's order: oldest first, office by office (cloud/src/jobs/job-listing.ts). The
 * filters live in the address, so a filtered list can be bookmarked.
 */
export function JobsPage({ identity, route }: PageProps) {
  const filter: JobFilter = {
    state: route.search.get('state') ?? undefined,
    agentId: route.search.get('agentId') ?? undefined,
    cardSerial: route.search.get('cardSerial') ?? undefined,
  };
  const key = route.search.toString();
  const agents = useApi<{ items: AgentOption[] }>('/v1/agents');
  // The cursors of the pages shown so far: going back pops one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: JobView[]; nextCursor?: string }>();
  const [error, setError] = useState<unknown>();
  const cursor = cursors[cursors.length - 1];

  useEffect(() => setCursors([undefined]), [key]);
  useEffect(() => {
    let current = true;
    setPage(undefined);
    setError(undefined);
    listJobs({ ...filter, cursor }).then(
      (answer) => current && setPage(answer),
      (problem: unknown) => current && setError(problem),
    );
    return () => {
      current = false;
    };
  }, [key, cursor]);

  const apply = (next: JobFilter) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(next)) if (value) search.set(name, value);
    const text = search.toString();
    navigate(`/jobs${text ? `?${text}` : ''}`);
  };

  return (
    <>
      <PageHeader title="Jobs">
        {may.startJob(identity) ? (
          <Link to="/jobs/new" class="button button-primary">
            New job
          </Link>
        ) : null}
      </PageHeader>
      <JobFilters key={key} value={filter} agents={agents.data?.items ?? []} onApply={apply} />
      <ErrorNote error={error} />
      {page ? (
        <JobsTable jobs={page.items} caption="Jobs, oldest first, office by office" />
      ) : error ? null : (
        <Loading what="Loading jobs" />
      )}
      <nav class="pager" aria-label="Pages of jobs">
        <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </Button>
        <span>Page {cursors.length}</span>
        <Button
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor])}
        >
          Next page
        </Button>
      </nav>
    </>
  );
}
