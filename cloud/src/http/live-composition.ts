import { ChangeNotifier, notifyingTable, pollingChanges, readVersionedJob } from '../jobs/job-changes';
import type { Table } from '../storage/table-port';
import type { LiveDeps } from './routes/live-events';

/**
 * How the live routes are fed (docs/console-live-progress.md). By default (the local
 * cloud: API, ingest and progress in one process) the stores that write jobs and batches
 * get a table that tells a notifier of each write, so a change is pushed the moment it
 * is stored, and events are streamed. Where other processes write (AWS Lambda: the
 * ingest function), `pollMs` reads the watched items instead, and `buffered` holds each
 * answer for at most one event (the function URL buffers the answer whole).
 */
export interface LiveSettings {
  /** Read the watched items this often instead of being told by this process's writes. */
  pollMs?: number;
  /** Answers are buffered whole: one event each, after waiting up to `holdMs` for a change. */
  buffered?: { holdMs: number };
  /** Default 15 s (a comment line, so idle streams are not closed by proxies). */
  heartbeatMs?: number;
  /** The client's reconnection delay (`retry:`), default 2 s. */
  retryMs?: number;
}

export function liveComposition(table: Table, settings: LiveSettings = {}): { table: Table; live: LiveDeps } {
  const options = {
    heartbeatMs: settings.heartbeatMs ?? 15_000,
    retryMs: settings.retryMs ?? 2000,
    ...(settings.buffered ? { buffered: settings.buffered } : {}),
  };
  const readJob = (jobId: string) => readVersionedJob(table, jobId);
  if (settings.pollMs !== undefined)
    return { table, live: { changes: pollingChanges(table, settings.pollMs), readJob, options } };
  const notifier = new ChangeNotifier();
  return { table: notifyingTable(table, notifier), live: { changes: notifier, readJob, options } };
}
