// @ts-check
import base, { report, SHARED_FILES, split } from './stryker.shared.config.mjs';

/**
 * The declarations half of `npm run mutation:shared` (stryker.shared.config.mjs): the
 * module-level schemas, tables and patterns of shared/, each mutant switched on before
 * the test files related to its module load them afresh (vitest.mutation-shared.config.ts).
 */
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-shared.config.ts', related: true },
  mutate: SHARED_FILES.flatMap((file) => split(file).declarations),
  jsonReporter: { fileName: report('-declarations') },
};
