import shared from './stryker.shared.config.mjs';
export default {
  ...shared,
  vitest: { configFile: 'vitest.tmp-atr.config.ts', related: true },
  mutate: ['shared/src/atr/atr-tables.ts', 'shared/src/atr/atr-describe.ts', 'shared/src/apdu-script/status-word-pattern.ts'],
  jsonReporter: { fileName: 'reports/mutation/tmp-atr.json' },
};
