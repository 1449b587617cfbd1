import type { AuditFilters } from '../../api/audit-query';

/**
 * The audit search lives in the page's address (`/console/audit?cardSerial=…`), so a
 * search can be bookmarked or pasted into a ticket. Times there are ISO 8601 (UTC), as the
 * API compares them; the form shows them in the browser's time zone.
 */
const KEYS = ['cardSerial', 'office', 'agentId', 'from', 'to'] as const;

export function filtersFrom(search: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of KEYS) {
    const value = search.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

export const filtersKey = (filters: AuditFilters) => KEYS.map((key) => filters[key] ?? '').join('\u0000');

/**
 * `2026-12-06T09:30` (a datetime-local value, local time) → ISO 8601 UTC; '' stays ''.
 * An end of a range takes the whole minute: "to 09:30" keeps an entry at 09:30:41.
 */
export function localToIso(value: string, end: 'start' | 'end' = 'start'): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() + (end === 'end' ? 59_999 : 0)).toISOString();
}

/** ISO 8601 → a datetime-local value in the browser's time zone. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
