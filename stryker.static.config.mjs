// @ts-check
import { common, declarations, SECURITY_CORE } from './stryker.config.mjs';

/**
 * The second half of `npm run mutation` (docs/mutation-testing.md): the security core's
 * module-level declarations — claim schemas, patterns, size limits, `typ` names, roles.
 * A mutant there is "static": it runs while the module loads, before any test, so
 * per-test coverage cannot say which tests reach it. This run tests each against all
 * the tests beside these modules (vitest.mutation-static.config.ts). Same break
 * threshold.
 */
/** The security core's declarations in shared/src/messages and cloud/src/auth (the rest are names and one-line constants). */
export const SECURITY_CORE_DECLARATIONS = SECURITY_CORE.filter((file) =>
  /^(shared\/src\/messages|cloud\/src\/auth)\//.test(file),
).flatMap(declarations);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...common,
  // perTest coverage sees these mutants run while the modules load and activates them
  // before the tests import anything (static activation); each runs all these tests.
  vitest: { configFile: 'vitest.mutation-static.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // The typ names and the literals of the schemas are the checks here.
  mutator: { excludedMutations: [] },
  mutate: SECURITY_CORE_DECLARATIONS,
  jsonReporter: { fileName: 'reports/mutation/security-declarations.json' },
  thresholds: { high: 95, low: 90, break: 90 },
};
