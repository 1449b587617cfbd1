// Prints `N passed, N failed` from vitest's JSON report (CI does not read vitest's
// own summary). A run that failed before vitest started (install, rig, type-check,
// lint) counts as one failure, so a red run never reads as green. With a second
// argument, the exit status of `npm run mutation` (docs/mutation-testing.md): its
// scores are printed from Stryker's JSON reports, and a failed mutation step (a score
// under the break threshold, or a run that did not finish) counts as one failure more.
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? '0');
const mutationArg = process.argv[3];
let passed = 0;
let failed = 0;
if (existsSync('.vitest-results.json')) {
  const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
}
if (status !== 0 && failed === 0) failed = 1;

/** Stryker's score of one report: detected (killed, timed out) over valid mutants. */
function score(file) {
  if (!existsSync(file)) return 'not run';
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const mutants = Object.values(report.files).flatMap((f) => f.mutants);
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  return `${valid === 0 ? '100.00' : ((100 * detected) / valid).toFixed(2)} % (${detected}/${valid})`;
}

let mutation = '';
if (mutationArg !== undefined) {
  if (mutationArg === 'skipped') mutation = ', mutation not run (tests failed)';
  else {
    const ok = Number(mutationArg) === 0;
    if (!ok) failed += 1;
    mutation =
      `, mutation ${ok ? 'passed' : 'FAILED'}` +
      ` (security core ${score('reports/mutation/security-core.json')},` +
      ` declarations ${score('reports/mutation/security-declarations.json')}; break 90 %)`;
  }
}
console.log(`${passed} passed, ${failed} failed${mutation}`);
