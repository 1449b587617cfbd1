import { describe, expect, it, vi } from 'vitest';

// The middleware's known-card list is built from its patterns while atr-match.ts loads:
// a pattern check that wrongly refused one would fail every import of the module. This
// test imports it afresh inside a test, so such a failure fails a test instead of
// leaving the other test files without tests (docs/mutation-testing.md, "Fixtures are
// built inside tests").
describe('the known-card module', () => {
  it('loads with all eighteen middleware patterns', async () => {
    vi.resetModules();
    const { GEMALTO_MIDDLEWARE_ATRS } = await import('./atr-match');
    expect(GEMALTO_MIDDLEWARE_ATRS.map((card) => card.source.split('/').length)).toEqual([
      2, 2, 1, 2, 2, 1, 1, 1, 2, 2, 1, 1, 1, 2, 2, 2, 1, 2,
    ]);
  });
});
