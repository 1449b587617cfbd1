import { defineConfig } from 'vitest/config';

// The unit project of vitest.config.ts on its own, for StrykerJS (stryker.config.mjs):
// its vitest runner takes one config file and runs every project in it, and the rig
// project needs the machine's readers and brokers. In Stryker's sandbox a test in
// cloud/ or edge-agent/ imports `@cardfleet/shared` through the node_modules symlink,
// i.e. the unmutated original: shared/ is pinned by its own tests, beside its code.
export default defineConfig({
  test: {
    include: ['shared/src/**/*.test.ts', 'cloud/src/**/*.test.ts', 'edge-agent/src/**/*.test.ts'],
  },
});
