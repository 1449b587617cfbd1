import { defineConfig, mergeConfig } from 'vitest/config';
import shared from './vitest.mutation-shared.config';

/**
 * The shared core's module bodies (stryker.shared.config.mjs): their mutants are switched
 * at run time, so the test files need not be loaded afresh for each one — re-importing
 * them for every one of thousands of mutants was most of the run's time (as in the
 * security core's main run, vitest.mutation.config.ts). The declarations keep isolation.
 */
export default mergeConfig(shared, defineConfig({ test: { isolate: false } }));
