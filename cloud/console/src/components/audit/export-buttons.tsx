import { useState } from 'preact/hooks';
import { type AuditFilters, downloadAuditExport } from '../../api/audit-search-api';
import { Button, ErrorNote } from '../ui';

/** Every entry the search keeps, as CSV (spreadsheet-safe, docs/security.md) or JSON. */
export function ExportButtons({ filters }: { filters: AuditFilters }) {
  const [busy, setBusy] = useState<'csv' | 'json'>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const save = async (format: 'csv' | 'json') => {
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await downloadAuditExport(filters, format));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="audit-export">
      <div class="page-actions">
        <Button onClick={() => save('csv')} disabled={busy !== undefined}>
          {busy === 'csv' ? 'Exporting…' : 'Export CSV'}
        </Button>
        <Button onClick={() => save('json')} disabled={busy !== undefined}>
          {busy === 'json' ? 'Exporting…' : 'Export JSON'}
        </Button>
      </div>
      <p role="status" class="audit-muted">
        {done ? `Saved ${done}.` : ''}
      </p>
      <ErrorNote error={error} />
    </div>
  );
}
