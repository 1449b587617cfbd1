import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './bench-rig';

/**
 * CLI start-up (docs/benchmarks.md): the installed commands as a shell runs them —
 * `node_modules/.bin/cardfleet-agent atr <hex>` and `cardfleet --version`, the built
 * JavaScript of `npm run build` — next to pcsc-tools' `ATR_analysis <hex>` (the same
 * analysis in Perl, over the same smartcard_list.txt) and a bare `node -e 0`, in
 * interleaved rounds of the same run. Wall time per process, and its CPU time (user +
 * system, from the children's times in /proc/self/stat, 10 ms ticks). Prints figures
 * and ratios against ATR_analysis; asserts nothing.
 */
const ROOT = join(import.meta.dirname, '../..');
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
// An Atos CardOS 5.3 ATR (examples/cards/cardos.json): both tools name it from the list.
const ATR = '3BD218008131FE58C90217';

const COMMANDS: { name: string; argv: string[] }[] = [
  { name: 'cardfleet-agent atr', argv: [join(ROOT, 'node_modules/.bin/cardfleet-agent'), 'atr', ATR] },
  { name: 'cardfleet --version', argv: [join(ROOT, 'node_modules/.bin/cardfleet'), '--version'] },
  { name: 'ATR_analysis (pcsc-tools)', argv: ['ATR_analysis', ATR] },
  { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
];

/** CPU seconds of every reaped child so far (cutime + cstime, proc(5)). */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ", field 3 is the state: cutime and cstime are fields 16 and 17.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function timeOnce(argv: string[]): { wall: number; cpu: number } {
  const [command = '', ...args] = argv;
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, stdio: 'ignore' });
  const wall = (performance.now() - started) / 1000;
  if (run.error || run.status !== 0)
    throw new Error(`${argv.join(' ')} failed: ${run.error?.message ?? `exit ${run.status}`}`);
  return { wall, cpu: childrenCpuSeconds() - cpuBefore };
}

export async function startupBenchmark() {
  // One unmeasured run each: a stale build is rebuilt here, files reach the page cache.
  for (const { argv } of COMMANDS) timeOnce(argv);
  const samples = new Map(COMMANDS.map(({ name }) => [name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let round = 0; round < RUNS; round++) {
    for (const { name, argv } of COMMANDS) {
      const { wall, cpu } = timeOnce(argv);
      samples.get(name)?.wall.push(wall);
      samples.get(name)?.cpu.push(cpu);
    }
  }
  const baseline = samples.get('ATR_analysis (pcsc-tools)') ?? { wall: [1], cpu: [1] };
  const rows = COMMANDS.map(({ name }) => {
    const { wall, cpu } = samples.get(name) ?? { wall: [], cpu: [] };
    return {
      command: name,
      'wall p50 s': Number(median(wall).toFixed(3)),
      'wall min s': Number(Math.min(...wall).toFixed(3)),
      'cpu p50 s': Number(median(cpu).toFixed(2)),
      'wall × ATR_analysis': Number((median(wall) / median(baseline.wall)).toFixed(1)),
      'cpu × ATR_analysis': Number((median(cpu) / Math.max(median(baseline.cpu), 0.01)).toFixed(1)),
    };
  });
  console.log(`\nCLI start-up, ${RUNS} interleaved rounds (ATR ${ATR})`);
  console.table(rows);
  return { runs: RUNS, atr: ATR, rows };
}
