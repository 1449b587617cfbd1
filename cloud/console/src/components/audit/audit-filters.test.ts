import { describe, expect, it } from 'vitest';
import { filtersFrom, filtersKey, isoToLocal, localToIso } from './audit-filters';

describe('audit search filters in the address', () => {
  it('keeps the known, non-blank filters only', () => {
    const filters = filtersFrom(new URLSearchParams('cardSerial=%200A1B%20&office=&agentId=a1&token=x'));
    expect(filters).toEqual({ cardSerial: '0A1B', agentId: 'a1' });
    expect(filtersKey(filters)).not.toBe(filtersKey({ cardSerial: '0A1B' }));
  });

  it('turns a local time into UTC and back, an end time taking its whole minute', () => {
    const start = localToIso('2026-12-06T09:30');
    expect(start).toBe(new Date(2026, 11, 6, 9, 30).toISOString());
    expect(Date.parse(localToIso('2026-12-06T09:30', 'end')) - Date.parse(start)).toBe(59_999);
    expect(isoToLocal(start)).toBe('2026-12-06T09:30');
    expect(localToIso('')).toBe('');
    expect(localToIso('not a time')).toBe('');
    expect(isoToLocal(undefined)).toBe('');
  });
});
