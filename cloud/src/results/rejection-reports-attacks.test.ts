import { describe, expect, it } from 'vitest';
import { boundedReason, REJECTION_REASON_MAX } from './rejection-reports';

/**
 * Attacks on what an agent may write into the audit trail through a rejection report
 * (docs/security.md, "An enrolled agent"), each failing when the bound that stops it is
 * removed (docs/mutation-testing.md).
 */
describe('rejection report attacks', () => {
  it('keeps a reason of exactly the longest length whole, and cuts one a character longer, saying how long it was', () => {
    const longest = 'E'.repeat(REJECTION_REASON_MAX);
    expect(boundedReason(longest)).toEqual({ reason: longest });
    expect(boundedReason(`${longest}X`)).toEqual({ reason: longest, reasonLength: REJECTION_REASON_MAX + 1 });
  });

  it('replaces every character outside the plain charset, not only the first', () => {
    expect(boundedReason('a\nb\rc=d"e')).toEqual({ reason: 'a?b?c?d?e' });
    expect(boundedReason('ENVELOPE_EXPIRED: job-1.2 ok')).toEqual({ reason: 'ENVELOPE_EXPIRED: job-1.2 ok' });
  });
});
