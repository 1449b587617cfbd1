import { describe, expect, it } from 'vitest';
import { csvCell } from './audit-csv';

/**
 * The audit export's cells (OWASP, "CSV Injection"): numbers are the server's own (seq,
 * versions) and stay numbers; text that starts a formula is neutralised, whatever its
 * type was before it became text (docs/mutation-testing.md).
 */
describe('audit CSV attacks', () => {
  it('writes numbers as numbers, a negative one too, but neutralises text that looks like one', () => {
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(0)).toBe('0');
    expect(csvCell('-1')).toBe(`"'-1"`);
  });
});
