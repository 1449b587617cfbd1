// Prints `N passed, N failed` from vitest's JSON report (CI does not read vitest's
// own summary). A run that failed before vitest started (install, rig, type-check,
// lint) counts as one failure, so a red run never reads as green.
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? '0');
let passed = 0;
let failed = 0;
if (existsSync('.vitest-results.json')) {
  const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
