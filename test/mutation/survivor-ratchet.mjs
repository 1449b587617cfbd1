#!/usr/bin/env node
// @ts-check
/**
 * The last step of `npm run mutation` (docs/mutation-testing.md, "The survivor ratchet").
 * Stryker's break threshold is over the whole security core, so one deleted test that
 * pinned one check moves the score by a fraction of a percent. This step holds every
 * module to its survivors of the last whole run (test/mutation/survivors.json): a module
 * with more surviving (or uncovered) mutants than there fails the run and names each of
 * them. Fewer is progress: `--update` writes the new counts after a whole run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const REPORTS = ['reports/mutation/security-core.json', 'reports/mutation/security-declarations.json'];
const BASELINE = new URL('./survivors.json', import.meta.url);
const LIVE = new Set(['Survived', 'NoCoverage']);

/** Survivors per module, summed over both runs, with where each one is; and timeouts. */
function survivors() {
  /** @type {Record<string, string[]>} */
  const byFile = {};
  /** @type {Record<string, number>} */
  const timeouts = {};
  for (const report of REPORTS) {
    if (!existsSync(report)) throw new Error(`${report} is missing: run both Stryker runs first`);
    const { files } = JSON.parse(readFileSync(report, 'utf8'));
    for (const [file, { mutants }] of Object.entries(files)) {
      byFile[file] ??= [];
      timeouts[file] = (timeouts[file] ?? 0) + mutants.filter((m) => m.status === 'Timeout').length;
      for (const m of mutants)
        if (LIVE.has(m.status))
          byFile[file].push(
            `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${m.replacement ?? ''}`,
          );
    }
  }
  return { byFile, timeouts };
}

const { byFile: now, timeouts } = survivors();
const counts = Object.fromEntries(Object.entries(now).map(([file, list]) => [file, list.length]));
if (process.argv.includes('--update')) {
  // A mutant that timed out on a loaded machine may finish, and survive, on an idle one:
  // a module may have as many survivors as it had survivors and timeouts.
  const record = Object.fromEntries(
    Object.keys(now)
      .sort()
      .map((file) => [file, { survivors: counts[file] ?? 0, timeouts: timeouts[file] ?? 0 }]),
  );
  writeFileSync(BASELINE, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`survivor ratchet: ${Object.values(counts).reduce((a, b) => a + b, 0)} survivors recorded`);
  process.exit(0);
}
/** @type {Record<string, { survivors: number, timeouts: number }>} */
const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
/** @param {string} file */
const limit = (file) => (baseline[file]?.survivors ?? 0) + (baseline[file]?.timeouts ?? 0);
const worse = Object.keys(now).filter((file) => (counts[file] ?? 0) > limit(file));
for (const file of worse) {
  console.error(
    `survivor ratchet: ${file} has ${counts[file]} surviving mutants, at most ${limit(file)} allowed:`,
  );
  for (const line of now[file] ?? []) console.error(`  ${line}`);
}
if (worse.length > 0) {
  console.error(
    'a check lost the test that pinned it, or new code has a check no test pins (docs/mutation-testing.md)',
  );
  // --warn: report without failing, for a look at a branch's survivors (CI fails).
  process.exit(process.argv.includes('--warn') ? 0 : 1);
}
console.log(
  `survivor ratchet: no module has more survivors than at the last whole run (${Object.keys(baseline).length} modules)`,
);
