import { defineConfig } from 'vitest/config';

/**
 * The unit tests StrykerJS runs against the whole shared/ core (stryker.shared.config.mjs),
 * with room for instrumented property tests on a loaded runner (vitest.mutation.config.ts).
 */
export default defineConfig({ test: { include: ['shared/src/**/*.test.ts'], testTimeout: 60_000 } });
