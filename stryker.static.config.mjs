// @ts-check
import { common } from './stryker.config.mjs';

/**
 * The second half of `npm run mutation` (docs/mutation-testing.md): the security core's
 * module-level declarations — claim schemas, patterns, size limits, `typ` names, roles.
 * A mutant there is "static" (it runs while the module loads, so every related test
 * must run for it); stryker.config.mjs ignores those, and this run tests them over
 * just these line ranges, whose related tests are few. Same break threshold.
 */
export const SECURITY_CORE_DECLARATIONS = [
  'shared/src/messages/job-claims.ts:11-48',
  'shared/src/messages/job-cancel.ts:12-22',
  'shared/src/messages/key-set.ts:18-32',
  'shared/src/messages/signed-claims.ts:16-19',
  'shared/src/messages/execution-id.ts:15',
  'shared/src/messages/result-message.ts:23',
  'shared/src/messages/broker-policy.ts:12-15',
  'shared/src/messages/secret-box.ts:10',
  'cloud/src/auth/identity.ts:19-34',
  'cloud/src/auth/identity.ts:59-60',
  'cloud/src/auth/token-lifetime.ts:10-11',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...common,
  mutate: SECURITY_CORE_DECLARATIONS,
  jsonReporter: { fileName: 'reports/mutation/security-declarations.json' },
  thresholds: { high: 95, low: 90, break: 90 },
};
