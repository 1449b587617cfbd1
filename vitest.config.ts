import { defineConfig } from 'vitest/config';

// Two projects: pure units run in parallel; tests on the machine-wide rig (vpcd
// readers, pcscd, Mosquitto, SoftHSM) run one file at a time.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/src/**/*.test.ts',
            'cloud/src/**/*.test.ts',
            'edge-agent/src/**/*.test.ts',
            'cloud/console/src/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'rig',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/rig/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
