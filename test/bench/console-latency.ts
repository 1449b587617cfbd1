import {
  localCloudForLive,
  quantileOf,
  timeProgressUpdates,
  timeStateChanges,
} from '../support/live-latency';
import { consoleFirstLoad } from './console-first-load';
import { timeConsoleShows } from './console-shows';

/**
 * Console latency: a job's change in the cloud → the console's event-stream client
 * (cloud/console/src/api/event-stream.ts) holding the event, over the live route
 * GET /v1/jobs/{id}/events of the local cloud (dynalite, API and ingest in one process:
 * the change is pushed the moment it is stored; docs/console-live-progress.md). Each
 * change is made through the function the ingest subscriber calls for an agent's
 * progress message, so the time includes that store write. Two kinds: a state change
 * (a fresh job's first progress moves it SENT → IN_PROGRESS) and a progress update on
 * a job in progress. Prints p50/p95; asserts nothing. The browser part (the page showing
 * it) is to be added on top of these figures.
 */
const N = Number(process.env.BENCH_CONSOLE_CHANGES ?? 50);
const WARMUP = 5;

export async function consoleLatencyBenchmark(): Promise<Record<string, unknown>> {
  // With its broker, as `npm run cloud` runs: a new job is published (SENT) at once.
  const live = await localCloudForLive({ embeddedBroker: true });
  try {
    await timeStateChanges(live, WARMUP);
    const kinds = {
      'state change → event': await timeStateChanges(live, N),
      'progress update → event': await timeProgressUpdates(live, N),
      'state change → console page shows it (Chromium)': await timeConsoleShows(live, Math.min(N, 30)),
    };
    const rows = Object.entries(kinds).map(([what, samples]) => ({
      what,
      n: samples.length,
      'p50 ms': Number(quantileOf(samples, 0.5).toFixed(1)),
      'p95 ms': Number(quantileOf(samples, 0.95).toFixed(1)),
    }));
    console.log(
      '\nconsole latency: job change in the cloud → event received by the console client / shown by its page',
    );
    console.table(rows);
    const firstLoad = await consoleFirstLoad(live.local.url, live.admin);
    return { benchmark: 'console-latency', changes: N, rows, firstLoad };
  } finally {
    await live.local.close();
  }
}
