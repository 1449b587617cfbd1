// @ts-check
import { common } from './stryker.config.mjs';

/**
 * `npm run mutation:shared`: the same run over the whole shared/ core (APDU and
 * encoding languages, ATR, codecs, messages), without a break threshold; its score is
 * a figure of `npm run bench` (test/bench/mutation-score.ts, docs/mutation-testing.md).
 */
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...common,
  vitest: { configFile: 'vitest.mutation-shared.config.ts', related: true },
  mutate: ['shared/src/**/*.ts', '!shared/src/**/*.test.ts', '!shared/src/**/*.d.ts'],
  jsonReporter: { fileName: 'reports/mutation/shared-core.json' },
  thresholds: { high: 90, low: 80, break: null },
};
