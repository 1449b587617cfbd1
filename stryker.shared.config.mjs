// @ts-check
import { readdirSync, readFileSync } from 'node:fs';
import { common } from './stryker.config.mjs';

/**
 * `npm run mutation:shared`: the same run over the whole shared/ core (APDU and
 * encoding languages, ATR, codecs, messages), without a break threshold; its score is
 * a figure of `npm run bench` (test/bench/mutation-score.ts, docs/mutation-testing.md).
 *
 * Two runs, split like the security core's: this one over the module bodies (mutants
 * switched at run time, test files loaded once: vitest.mutation-shared-body.config.ts),
 * stryker.shared-static.config.mjs over the declarations above each module's first
 * function (schemas, tables, patterns: switched while the module loads, so every test
 * file is loaded afresh for each). SHARED_PART=<part> runs one part; its reports are
 * reports/mutation/shared-core-<part>.json and shared-core-<part>-declarations.json,
 * and the bench adds up whatever parts have them.
 */
export const SHARED_PARTS = {
  // The APDU language, its codec, ATR, status words and challenge/response.
  apdu: ['apdu-script', 'apdu', 'bytes', 'status-words', 'crypto', 'atr'],
  encoding: ['encoding', 'bundle', 'pin-rule', 'license'],
  messages: ['messages', 'broker'],
  rest: ['errors', 'cli', 'observability', 'releases', 'node', 'jobs'],
};

export const part = process.env.SHARED_PART;
if (part && !(part in SHARED_PARTS))
  throw new Error(`SHARED_PART=${part}: one of ${Object.keys(SHARED_PARTS).join(', ')}`);
const folders = part
  ? SHARED_PARTS[/** @type {keyof typeof SHARED_PARTS} */ (part)]
  : Object.values(SHARED_PARTS).flat();

/** The shared/ sources of the part (or of every part), tests and declarations files left out. */
export const SHARED_FILES = folders.flatMap((folder) =>
  readdirSync(new URL(`shared/src/${folder}`, import.meta.url), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.ts') && !/\.(test|test-support|d)\.ts$/.test(name))
    .sort()
    .map((name) => `shared/src/${folder}/${name}`),
);

const FIRST_FUNCTION = /^(export )?(async )?(function|class) /;

/**
 * A module's split (1-based line ranges): the declarations run while it loads, the body
 * from its first function or class on. A module without one is declarations only.
 */
export function split(file) {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
  const first = lines.findIndex((line) => FIRST_FUNCTION.test(line)) + 1;
  if (first === 0) return { declarations: [file], body: [] };
  if (first === 1) return { declarations: [], body: [file] };
  return { declarations: [`${file}:1-${first - 1}`], body: [`${file}:${first}-${lines.length}`] };
}

export const report = (suffix = '') => `reports/mutation/shared-core${part ? `-${part}` : ''}${suffix}.json`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...common,
  vitest: { configFile: 'vitest.mutation-shared-body.config.ts', related: true },
  mutate: SHARED_FILES.flatMap((file) => split(file).body),
  jsonReporter: { fileName: report() },
  thresholds: { high: 90, low: 80, break: null },
  // A mutant that loops forever holds its worker until the timeout, then Stryker starts a
  // new one; on the idle machine these runs need, 8 s above the tests' own time is ample.
  timeoutMS: 8_000,
};
