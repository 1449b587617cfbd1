import base, { common } from './stryker.config.mjs';
export default {
  ...common,
  mutate: base.mutate.filter((m) => /job-envelope|sealed-literals|encoding-redaction/.test(m)),
  jsonReporter: { fileName: 'reports/mutation/seed-check.json' },
  reporters: ['json', 'progress'],
  tempDirName: '.stryker-tmp-seed',
  thresholds: { high: 95, low: 90, break: null },
};
