import type { Item, ItemKey, Page, PageOptions, QueryOptions, Table } from '../storage/table-port';
import type { UsageMeter } from './usage-meter';

/**
 * The table port, counting what DynamoDB on-demand bills (docs/benchmarks.md, "Cost
 * per job", after the DynamoDB pricing page's key terms):
 *   - a write: 1 write request unit per started 1 KB of the item, whether or not its
 *     condition held (a failed conditional write is billed too); a delete: 1;
 *   - a strongly consistent read: 1 read request unit per started 4 KB, at least 1,
 *     also for a missing item;
 *   - a query: the bytes of the items it read, summed and rounded up to 4 KB — 1 unit
 *     per 4 KB strongly consistent (the table), ½ eventually consistent (GSI1).
 * Item size as DynamoDB counts it: attribute names plus values (UTF-8 strings; numbers
 * up to 21 bytes, taken as their digits here).
 */
const KB = 1024;

export class MeteredTable implements Table {
  constructor(
    private readonly inner: Table,
    private readonly meter: UsageMeter,
  ) {}

  ensure(): Promise<void> {
    return this.inner.ensure();
  }

  putNew(item: Item): Promise<boolean> {
    this.write(item);
    return this.inner.putNew(item);
  }

  putIfVersion(item: Item, expectedVersion: number | undefined): Promise<boolean> {
    this.write(item);
    return this.inner.putIfVersion(item, expectedVersion);
  }

  put(item: Item): Promise<void> {
    this.write(item);
    return this.inner.put(item);
  }

  delete(key: ItemKey): Promise<void> {
    this.meter.add('ddb.writes', 1, `delete ${kindOf(key.PK)}`);
    this.meter.add('ddb.wru', 1);
    return this.inner.delete(key);
  }

  async get(key: ItemKey): Promise<Item | undefined> {
    const item = await this.inner.get(key);
    this.meter.add('ddb.reads', 1, `get ${kindOf(key.PK)}`);
    this.meter.add('ddb.rru', Math.max(1, Math.ceil((item ? itemBytes(item) : 0) / (4 * KB))));
    return item;
  }

  async count(partition: string): Promise<number> {
    // Select COUNT is billed for the items it reads, not for what it returns.
    const items = await this.inner.query(partition);
    this.read(items, false, `count ${kindOf(partition)}`);
    return items.length;
  }

  async query(partition: string, options?: QueryOptions): Promise<Item[]> {
    const items = await this.inner.query(partition, options);
    this.read(items, options?.index !== undefined, `query ${kindOf(partition)}`);
    return items;
  }

  async queryPage(partition: string, options: PageOptions): Promise<Page> {
    const page = await this.inner.queryPage(partition, options);
    this.read(page.items, options.index !== undefined, `queryPage ${kindOf(partition)}`);
    return page;
  }

  private write(item: Item): void {
    this.meter.add('ddb.writes', 1, `put ${kindOf(String(item.PK))}`);
    this.meter.add('ddb.wru', Math.max(1, Math.ceil(itemBytes(item) / KB)));
  }

  private read(items: readonly Item[], eventuallyConsistent: boolean, what: string): void {
    const bytes = items.reduce((n, item) => n + itemBytes(item), 0);
    const units = Math.max(1, Math.ceil(bytes / (4 * KB)));
    this.meter.add('ddb.queries', 1, what);
    this.meter.add('ddb.rru', eventuallyConsistent ? units / 2 : units);
  }
}

/** The item kind of a partition key, for the breakdown (`JOB`, `AUDIT`, …; table-design.ts). */
function kindOf(partition: string): string {
  return partition.split('#')[0] ?? partition;
}

/** An item's size as DynamoDB bills it: names and values. */
export function itemBytes(item: Item): number {
  return Object.entries(item).reduce(
    (n, [name, value]) =>
      n +
      Buffer.byteLength(name) +
      (typeof value === 'number' ? String(value).length : Buffer.byteLength(value)),
    0,
  );
}
