import { defineConfig } from 'vitest/config';

/**
 * The unit tests StrykerJS runs against the security core (stryker.config.mjs,
 * docs/mutation-testing.md): the tests beside its modules. Its vitest runner takes one
 * config file and runs every project in it, and vitest.config.ts also holds the rig
 * project (readers, brokers). Every mutant that no single test covers (module-level
 * schemas and patterns) runs all of these, so they are the security core's own tests
 * and not the whole unit project. In Stryker's sandbox, `@cardfleet/shared` resolves
 * through the node_modules symlink to the unmutated original: shared/ is pinned by the
 * tests beside it.
 */
export const SECURITY_CORE_TESTS = [
  'shared/src/messages/*.test.ts',
  'shared/src/broker/*.test.ts',
  'shared/src/bundle/sealed-literals*.test.ts',
  'cloud/src/broker/*.test.ts',
  'cloud/src/agents/agent-revocation*.test.ts',
  'cloud/src/storage/sealed-*.test.ts',
  'cloud/src/auth/*.test.ts',
  'cloud/src/crypto/*.test.ts',
  'cloud/src/audit/*.test.ts',
  'cloud/src/results/*.test.ts',
  'cloud/src/encodings/*.test.ts',
  'edge-agent/src/daemon/*.test.ts',
  'edge-agent/src/console/*.test.ts',
];

// Instrumented code on a loaded runner is several times slower than the plain unit run:
// a property test over every tree size must not read as a failure in the initial run.
export default defineConfig({
  test: {
    include: SECURITY_CORE_TESTS,
    setupFiles: ['test/mutation/fixed-seed.ts'],
    testTimeout: 60_000,
    isolate: false,
  },
});
