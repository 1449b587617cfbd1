// @ts-check
import { common } from './stryker.config.mjs';

/**
 * `npm run mutation:shared`: the same run over the whole shared/ core (APDU and
 * encoding languages, ATR, codecs, messages), without a break threshold; its score is
 * a figure of `npm run bench` (test/bench/mutation-score.ts, docs/mutation-testing.md).
 *
 * About 5,000 mutants: close to an hour on an idle 2-core machine. SHARED_PART=<part>
 * runs one part (its report: reports/mutation/shared-core-<part>.json); the bench adds
 * up the parts' reports when there is no whole one.
 */
export const SHARED_PARTS = {
  // The APDU language, its codec, ATR, status words and challenge/response.
  apdu: ['apdu-script', 'apdu', 'bytes', 'status-words', 'crypto', 'atr'],
  encoding: ['encoding', 'bundle', 'pin-rule', 'license'],
  messages: ['messages', 'broker'],
  rest: ['errors', 'cli', 'observability', 'releases', 'node', 'jobs'],
};

const part = process.env.SHARED_PART;
if (part && !(part in SHARED_PARTS))
  throw new Error(`SHARED_PART=${part}: one of ${Object.keys(SHARED_PARTS).join(', ')}`);
const folders = part ? SHARED_PARTS[/** @type {keyof typeof SHARED_PARTS} */ (part)] : undefined;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...common,
  vitest: { configFile: 'vitest.mutation-shared.config.ts', related: true },
  mutate: [
    ...(folders ? folders.map((folder) => `shared/src/${folder}/**/*.ts`) : ['shared/src/**/*.ts']),
    '!shared/src/**/*.test.ts',
    '!shared/src/**/*.d.ts',
  ],
  jsonReporter: { fileName: `reports/mutation/shared-core${part ? `-${part}` : ''}.json` },
  thresholds: { high: 90, low: 80, break: null },
  // A mutant that loops forever holds its worker until the timeout, then Stryker starts a
  // new one; on the idle machine these runs need, 8 s above the tests' own time is ample.
  timeoutMS: 8_000,
};
