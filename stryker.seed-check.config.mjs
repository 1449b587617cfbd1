import { body, common, declarations } from './stryker.config.mjs';
const files = [
  'cloud/src/audit/audit-proofs.ts',
  'cloud/src/auth/jwks-verifier.ts',
  'shared/src/messages/job-claims.ts',
  'cloud/src/auth/claim-mapping.ts',
  'cloud/src/auth/issuer-verifier.ts',
  'edge-agent/src/daemon/dry-run-target.ts',
];
export default {
  ...common,
  mutate: files.flatMap((f) => [body(f), ...declarations(f)]),
  jsonReporter: { fileName: 'reports/mutation/seed-check.json' },
  reporters: ['json', 'progress'],
  tempDirName: '.stryker-tmp-seed',
  thresholds: { high: 95, low: 90, break: null },
};
