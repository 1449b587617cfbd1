import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against the security core's module-level declarations
 * (stryker.static.config.mjs): all of them for every mutant, so only the tests beside
 * the modules that hold the declarations.
 */
export default defineConfig({
  test: {
    include: ['shared/src/messages/*.test.ts', 'cloud/src/auth/*.test.ts'],
    setupFiles: ['test/mutation/fixed-seed.ts'],
    testTimeout: 60_000,
  },
});
