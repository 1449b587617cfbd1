import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Mutation score of the shared core (docs/mutation-testing.md): `npm run mutation:shared`
 * (StrykerJS over shared/src against the tests beside it, no break threshold), then
 * the score read from its JSON report (mutation-testing-report-schema) and printed as a
 * figure, per folder and in all — with the security core's score when its report
 * (`npm run mutation`) is there. BENCH_MUTATION_REUSE=1 reads the last reports without
 * running Stryker again. Prints figures; asserts nothing.
 */
const ROOT = join(import.meta.dirname, '../..');
const REPORTS = join(ROOT, 'reports/mutation');

interface Mutant {
  status: string;
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}

/** Stryker's mutation score: detected (killed, timed out) over valid mutants, in %. */
export function mutationScore(mutants: readonly Mutant[]): {
  score: number;
  detected: number;
  valid: number;
} {
  const count = (...statuses: string[]) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  return { score: valid === 0 ? 100 : (100 * detected) / valid, detected, valid };
}

function readReport(name: string): Report | undefined {
  const path = join(REPORTS, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Report) : undefined;
}

/** Several reports of the same files as one: each file's mutants from all of them. */
function merged(reports: readonly (Report | undefined)[]): Report {
  const files: Report['files'] = {};
  for (const report of reports)
    for (const [file, { mutants }] of Object.entries(report?.files ?? {}))
      files[file] = { mutants: [...(files[file]?.mutants ?? []), ...mutants] };
  return { files };
}

/**
 * The shared core's reports (stryker.shared.config.mjs): the module bodies and the
 * declarations, of the whole run or of the parts (SHARED_PART runs) that have them.
 */
function sharedReports(): (Report & { parts: string[] }) | undefined {
  const whole = readReport('shared-core');
  if (whole) return { ...merged([whole, readReport('shared-core-declarations')]), parts: ['all'] };
  const parts = ['apdu', 'encoding', 'messages', 'rest'];
  const found = parts.filter((part) => readReport(`shared-core-${part}`));
  if (found.length === 0) return undefined;
  if (found.length < parts.length)
    console.log(`shared core: only the parts ${found.join(', ')} have a report (SHARED_PART runs)`);
  const missing = found.filter((part) => !readReport(`shared-core-${part}-declarations`));
  if (missing.length > 0) console.log(`shared core: no declarations report for ${missing.join(', ')}`);
  const reports = found.flatMap((part) => [
    readReport(`shared-core-${part}`),
    readReport(`shared-core-${part}-declarations`),
  ]);
  return { ...merged(reports), parts: found };
}

function byFolder(report: Report, depth: number) {
  const groups = new Map<string, Mutant[]>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = file.split('/').slice(0, depth).join('/');
    groups.set(folder, [...(groups.get(folder) ?? []), ...mutants]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, mutants]) => {
      const { score, detected, valid } = mutationScore(mutants);
      return { folder, score: Number(score.toFixed(1)), killed: detected, mutants: valid };
    });
}

export async function mutationScoreBenchmark() {
  let seconds: number | undefined;
  if (process.env.BENCH_MUTATION_REUSE !== '1') {
    const started = performance.now();
    const run = spawnSync('npm', ['run', '--silent', 'mutation:shared'], { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`npm run mutation:shared exited with ${run.status}`);
    seconds = Math.round((performance.now() - started) / 1000);
  }
  const shared = sharedReports();
  if (!shared) throw new Error('no reports/mutation/shared-core.json: run npm run mutation:shared');
  const sharedScore = mutationScore(Object.values(shared.files).flatMap((f) => f.mutants));
  console.log('\nmutation score, shared core (StrykerJS, its own unit tests)');
  console.table(byFolder(shared, 3));
  console.log(
    `shared core: ${sharedScore.score.toFixed(1)} % (${sharedScore.detected}/${sharedScore.valid} mutants detected)` +
      (seconds === undefined ? '' : `, ${seconds} s`),
  );
  // The last `npm run mutation`: its two runs (module bodies, declarations), when there.
  const lastRun = (name: string, label: string) => {
    const report = readReport(name);
    if (!report) return undefined;
    const result = mutationScore(Object.values(report.files).flatMap((f) => f.mutants));
    console.log(
      `${label} (last npm run mutation): ${result.score.toFixed(1)} % (${result.detected}/${result.valid})`,
    );
    return { ...result, score: Number(result.score.toFixed(1)) };
  };
  const securityScore = lastRun('security-core', 'security core');
  const declarationsScore = lastRun('security-declarations', 'security core declarations');
  return {
    sharedCore: {
      ...sharedScore,
      score: Number(sharedScore.score.toFixed(1)),
      seconds,
      folders: byFolder(shared, 3),
    },
    ...(securityScore ? { securityCore: securityScore } : {}),
    ...(declarationsScore ? { securityDeclarations: declarationsScore } : {}),
  };
}
