import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apduOverheadBenchmark } from './apdu-overhead';
import { auditBenchmark } from './audit';
import { batchOverheadBenchmark } from './batch-overhead';
import { concurrencyBenchmark } from './concurrency';
import { consoleLatencyBenchmark } from './console-latency';
import { costBenchmark } from './cost';
import { e2eLatencyBenchmark } from './e2e-latency';
import { fleetBenchmark } from './fleet';
import { jobCreationBenchmark } from './job-creation';
import { mutationScoreBenchmark } from './mutation-score';
import { startupBenchmark } from './startup';

/** `npm run bench`: runs every benchmark, prints tables, writes bench-results/*.json. */
const out = join(import.meta.dirname, '../../bench-results');
mkdirSync(out, { recursive: true });
const benchmarks = {
  'apdu-overhead': apduOverheadBenchmark,
  'job-creation': jobCreationBenchmark,
  'e2e-latency': e2eLatencyBenchmark,
  fleet: fleetBenchmark,
  audit: auditBenchmark,
  cost: costBenchmark,
  concurrency: concurrencyBenchmark,
  'batch-overhead': batchOverheadBenchmark,
  'mutation-score': mutationScoreBenchmark,
  startup: startupBenchmark,
  'console-latency': consoleLatencyBenchmark,
};
const only = process.argv[2];
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && only !== name) continue;
  const result = await run();
  writeFileSync(
    join(out, `${name}.json`),
    `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`,
  );
}
