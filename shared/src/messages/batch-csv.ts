import { CardfleetError } from '../errors/cardfleet-error';
import type { BatchField } from './batch-fields';

/**
 * The per-card fields of a batch as CSV (RFC 4180: comma-separated, `"` quotes a cell,
 * `""` is a quote inside one, CRLF or LF ends a record): a header row of field names,
 * then one row per card, card n on data row n. Checked at upload against the encoding's
 * fields (batch-fields.ts); every refusal is BATCH_CSV_INVALID (400) with the 1-based
 * `row` of the file (the header is row 1) and, when one cell is at fault, its `column`
 * (the field name) — never a cell's value, which may be a secret.
 */
export const MAX_BATCH_ROWS = 10_000;

export function readBatchCsv(
  text: string,
  fields: readonly BatchField[],
  cards: number | undefined,
): Record<string, string>[] {
  const records = csvRecords(text);
  const header = records[0];
  if (!header || (header.length === 1 && header[0] === ''))
    throw invalid(1, undefined, 'the CSV has no header row of field names');
  const known = new Map(fields.map((f) => [f.name, f]));
  const seen = new Set<string>();
  for (const column of header) {
    if (!known.has(column)) throw invalid(1, column, `column "${column}" is not a field of the encoding`);
    if (seen.has(column)) throw invalid(1, column, `column "${column}" appears twice`);
    seen.add(column);
  }
  for (const field of fields)
    if (!seen.has(field.name))
      throw invalid(1, field.name, `the encoding's field "${field.name}" has no column`);
  const rows = records.slice(1);
  if (rows.length > MAX_BATCH_ROWS)
    throw invalid(MAX_BATCH_ROWS + 2, undefined, `at most ${MAX_BATCH_ROWS} cards`);
  const parsed = rows.map((cells, index) => {
    const row = index + 2;
    if (cells.length !== header.length)
      throw invalid(row, undefined, `row ${row} has ${cells.length} cells; the header has ${header.length}`);
    const values = Object.fromEntries(header.map((column, i) => [column, cells[i] ?? '']));
    for (const column of header)
      if (known.get(column)?.required && values[column] === '')
        throw invalid(row, column, `row ${row}: "${column}" is required and empty`);
    return values;
  });
  if (cards !== undefined && parsed.length < cards)
    throw invalid(
      parsed.length + 2,
      undefined,
      `the CSV has ${parsed.length} card rows; the batch needs ${cards}`,
    );
  if (cards === undefined && parsed.length === 0) throw invalid(2, undefined, 'the CSV has no card rows');
  return parsed;
}

/** RFC 4180 records; a trailing line end adds no record. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let row = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw invalid(row, undefined, `row ${row}: text after a closing quote`);
      } else {
        if (c === '\n') row++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
      row++;
    } else cell += c;
  }
  if (quoted) throw invalid(row, undefined, `row ${row}: a quoted cell is not closed`);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}

function invalid(row: number, column: string | undefined, message: string): CardfleetError {
  return new CardfleetError('BATCH_CSV_INVALID', message, {
    details: { row, ...(column === undefined ? {} : { column }) },
  });
}
