import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  type AuditEntryView,
  type AuditFilters,
  type AuditPage,
  searchAudit,
} from '../../api/audit-search-api';
import { query } from '../../api/client';
import { Link } from '../link';
import { Button, ErrorNote, Loading, Table, Time } from '../ui';
import { AuditEntryDetail } from './audit-entry-detail';

const entryKey = (entry: AuditEntryView) => `${entry.shard}-${entry.seq}`;

/** The search's entries a page at a time (the API's opaque cursor), each with its detail. */
export function AuditResults({ filters }: { filters: AuditFilters }) {
  // cursors[i] is the cursor that fetched page i (page 0: none).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<AuditPage>();
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<string>();
  const at = cursors.length - 1;

  useEffect(() => {
    let current = true;
    setPage(undefined);
    setError(undefined);
    searchAudit(filters, cursors[at]).then(
      (answer) => current && setPage(answer),
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [filters, cursors, at]);

  if (error) return <ErrorNote error={error} />;
  if (!page) return <Loading what="Searching the audit trail" />;
  // A page gathers entries from several shards: shown in time order.
  const entries = [...page.items].sort(
    (a, b) => a.at.localeCompare(b.at) || a.shard - b.shard || a.seq - b.seq,
  );
  return (
    <section aria-labelledby="audit-results-title">
      <h2 id="audit-results-title">Entries</h2>
      <p class="audit-muted" role="status">
        {entries.length === 0
          ? 'No entries match.'
          : `Page ${at + 1}: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${page.nextCursor ? ', more on the next page' : ''}.`}
      </p>
      {entries.length > 0 ? (
        <Table caption="Audit entries">
          <thead>
            <tr>
              <th scope="col" class="audit-col-when">
                When
              </th>
              <th scope="col" class="audit-col-action">
                Action
              </th>
              <th scope="col">Actor</th>
              <th scope="col">Office · agent</th>
              <th scope="col" class="audit-col-card">
                Card
              </th>
              <th scope="col" class="audit-col-detail">
                <span class="visually-hidden">Detail</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const key = entryKey(entry);
              const expanded = open === key;
              return (
                <Fragment key={key}>
                  <tr>
                    <td>
                      <Time at={entry.at} />
                    </td>
                    <td class="mono">{entry.action}</td>
                    <td>{entry.actor}</td>
                    <td>
                      {entry.office}
                      {entry.agentId ? ` · ${entry.agentId}` : ''}
                    </td>
                    <td>
                      {entry.cardSerial ? (
                        <Link to={`/audit${query({ cardSerial: entry.cardSerial })}`} class="mono">
                          {entry.cardSerial}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="button button-secondary audit-toggle"
                        aria-expanded={expanded}
                        aria-controls={expanded ? `audit-detail-${key}` : undefined}
                        onClick={() => setOpen(expanded ? undefined : key)}
                      >
                        {expanded ? 'Hide' : 'Details'}
                        <span class="visually-hidden">
                          {' '}
                          of entry {entry.seq} in shard {entry.shard}
                        </span>
                      </button>
                    </td>
                  </tr>
                  {expanded ? (
                    <tr id={`audit-detail-${key}`}>
                      <td colSpan={6}>
                        <AuditEntryDetail entry={entry} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </Table>
      ) : null}
      <div class="page-actions audit-paging">
        {at > 0 ? <Button onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</Button> : null}
        {page.nextCursor ? (
          <Button onClick={() => setCursors([...cursors, page.nextCursor])}>Next page</Button>
        ) : null}
      </div>
    </section>
  );
}
