import { defineConfig } from 'vitest/config';

/** The unit tests StrykerJS runs against the whole shared/ core (stryker.shared.config.mjs). */
export default defineConfig({ test: { include: ['shared/src/**/*.test.ts'] } });
