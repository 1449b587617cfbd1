import { keys } from '../storage/table-design';
import type { Item, ItemKey, Table } from '../storage/table-port';
import type { Job } from './job';
import { fromItem } from './job-items';

/**
 * How the live routes notice that a job or a batch changed (docs/console-live-progress.md).
 * A listener is only told "it may have changed": it reads the item again and compares
 * its version, so a spurious call costs one read and a missed one cannot be made up by
 * a payload. Two adapters: in the process that writes (the local cloud: API, ingest and
 * progress in one process) the table itself tells on each write, at once; where writes
 * happen in other processes (AWS Lambda: ingest is another function) the item is read
 * every `everyMs` and a listener is called when its version moved.
 */
export type Unsubscribe = () => void;

export interface JobChanges {
  /** Calls `listener` after job `jobId`'s item was written (state, attempt, progress, cancel). */
  watch(jobId: string, listener: () => void): Unsubscribe;
  /** Calls `listener` after batch `batchId`'s items were written (its state, a card added). */
  watchBatch(batchId: string, listener: () => void): Unsubscribe;
}

/** A job as stored with its item's version: the version is the live routes' change marker. */
export interface VersionedJob {
  job: Job;
  version: number;
}

/** One strongly consistent read: the job and the version of that same item. */
export async function readVersionedJob(table: Table, jobId: string): Promise<VersionedJob | undefined> {
  const item = await table.get(keys.job(jobId));
  return item ? { job: fromItem(item), version: Number(item.version) } : undefined;
}

/** In-process changes: `notify` is called by the table decorator below, after each write. */
export class ChangeNotifier implements JobChanges {
  private readonly listeners = new Map<string, Set<() => void>>();

  watch(jobId: string, listener: () => void): Unsubscribe {
    return this.on(keys.job(jobId).PK, listener);
  }

  watchBatch(batchId: string, listener: () => void): Unsubscribe {
    return this.on(keys.batchPartition(batchId), listener);
  }

  /** An item of `partition` was written. A listener's failure is its own: the write stands. */
  notify(partition: string): void {
    for (const listener of [...(this.listeners.get(partition) ?? [])]) {
      try {
        listener();
      } catch {
        // A listener only marks its stream to read again; it has nothing to report to a writer.
      }
    }
  }

  private on(partition: string, listener: () => void): Unsubscribe {
    const set = this.listeners.get(partition) ?? new Set();
    set.add(listener);
    this.listeners.set(partition, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(partition) === set) this.listeners.delete(partition);
    };
  }
}

/**
 * The table, telling `notifier` of each write it made: the one place that sees every
 * write of a job (JobStore's moves, progress, cancels) and of a batch (BatchStore),
 * whoever in the process made it — so no store or use case calls an emit of its own.
 */
export function notifyingTable(table: Table, notifier: ChangeNotifier): Table {
  const told = <T>(key: ItemKey, written: T): T => {
    notifier.notify(key.PK);
    return written;
  };
  return {
    ensure: () => table.ensure(),
    putNew: async (item: Item) => told(keyOf(item), await table.putNew(item)),
    putIfVersion: async (item: Item, expected: number | undefined) =>
      told(keyOf(item), await table.putIfVersion(item, expected)),
    put: async (item: Item) => told(keyOf(item), await table.put(item)),
    delete: async (key: ItemKey) => told(key, await table.delete(key)),
    get: (key) => table.get(key),
    count: (partition) => table.count(partition),
    query: (partition, options) => table.query(partition, options),
    queryPage: (partition, options) => table.queryPage(partition, options),
  };
}

const keyOf = (item: Item): ItemKey => ({ PK: String(item.PK), SK: String(item.SK) });

/**
 * Changes seen by reading: each watch reads its item every `everyMs` (one GetItem; a
 * batch: its item and the count of its partition) and calls its listener when what it
 * read differs from the read before (or is the first). Timers are unref'd: a watch never keeps a process up.
 */
export function pollingChanges(table: Table, everyMs: number): JobChanges {
  const poll = (read: () => Promise<string>, listener: () => void): Unsubscribe => {
    let last: string | undefined;
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const now = await read();
        // The first read calls too: a write between the stream's own first read and
        // this one would otherwise become the baseline and go unseen.
        if (now !== last) listener();
        last = now;
      } catch {
        // A failed read is tried again at the next tick; the stream keeps what it showed.
      } finally {
        busy = false;
      }
    };
    void tick();
    const timer = setInterval(tick, everyMs);
    timer.unref?.();
    return () => clearInterval(timer);
  };
  return {
    watch: (jobId, listener) =>
      poll(async () => String((await table.get(keys.job(jobId)))?.version ?? ''), listener),
    watchBatch: (batchId, listener) =>
      poll(async () => {
        const batch = await table.get(keys.batch(batchId));
        return `${batch?.version ?? ''}/${await table.count(keys.batchPartition(batchId))}`;
      }, listener),
  };
}
