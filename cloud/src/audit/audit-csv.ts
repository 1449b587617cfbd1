import type { AuditEntry } from './audit-entry';

/**
 * The audit export as CSV (RFC 4180), safe to open in a spreadsheet. Entries hold text
 * that others chose (actors, reasons, agents' reports), and a spreadsheet runs a cell
 * that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` sends data out
 * when clicked), as it may one starting with a tab or a carriage return. Such a cell
 * gets a leading `'`, which spreadsheets take as "text", and is quoted (OWASP, "CSV
 * Injection"). Every cell with a quote, comma, CR or LF is quoted, quotes doubled.
 */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'office',
  'agentId',
  'cardSerial',
  'encodingId',
  'encodingVersion',
  'encodingSha256',
  'details',
  'prevHash',
  'hash',
  'shard',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: numbers as they are, text neutralised against formulas and quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsvRow(e: AuditEntry): string {
  return [
    e.seq,
    e.at,
    e.actor,
    e.action,
    e.office,
    e.agentId,
    e.cardSerial,
    e.encoding?.id,
    e.encoding?.version,
    e.encoding?.sha256,
    e.details,
    e.prevHash,
    e.hash,
    e.shard,
  ]
    .map(csvCell)
    .join(',');
}
