import { defineConfig } from 'vitest/config';

/**
 * The unit tests StrykerJS runs against the whole shared/ core (stryker.shared.config.mjs),
 * with room for instrumented property tests on a loaded runner (vitest.mutation.config.ts).
 * `oversized-input.test.ts` holds wall-clock bounds (2 s) that instrumented code on a
 * loaded runner misses by design; the bundle checks it reaches have tests of their own.
 */
export default defineConfig({
  test: {
    include: ['shared/src/**/*.test.ts'],
    exclude: ['shared/src/bundle/oversized-input.test.ts'],
    setupFiles: ['test/mutation/fixed-seed.ts'],
    testTimeout: 60_000,
  },
});
