import { TABLE } from './table-design';
import {
  decodeCursor,
  type Item,
  type ItemKey,
  type Page,
  type PageOptions,
  pageEndingAt,
  type QueryOptions,
  type Table,
} from './table-port';

/**
 * The table port in memory, for unit tests: the semantics DynamoDB gives the stores
 * (checked by the same contract suite as DynamoTable, table-contract.ts) — conditional
 * puts, `version` guards, sort-key order by UTF-8 bytes, a sparse GSI1 holding only
 * items with both GSI1 keys, the 400 KB item limit — and copies in and out, so a
 * caller never holds the stored object.
 */
export class MemoryTable implements Table {
  private readonly items = new Map<string, Item>();

  async ensure(): Promise<void> {}

  async putNew(item: Item): Promise<boolean> {
    const key = storageKey(checked(item));
    if (this.items.has(key)) return false;
    this.items.set(key, { ...item });
    return true;
  }

  async putIfVersion(item: Item, expectedVersion: number | undefined): Promise<boolean> {
    const key = storageKey(checked(item));
    const current = this.items.get(key);
    const holds = expectedVersion === undefined ? !current : current?.version === expectedVersion;
    if (!holds) return false;
    this.items.set(key, { ...item });
    return true;
  }

  async put(item: Item): Promise<void> {
    this.items.set(storageKey(checked(item)), { ...item });
  }

  async delete(key: ItemKey): Promise<void> {
    this.items.delete(storageKey(keyOnly(key)));
  }

  async get(key: ItemKey): Promise<Item | undefined> {
    const item = this.items.get(storageKey(keyOnly(key)));
    return item ? { ...item } : undefined;
  }

  /** Every item, in key order (tests check them against the key catalogue, table-design.ts). */
  allItems(): Item[] {
    return [...this.items.values()]
      .sort(
        (a, b) =>
          byteOrder(String(a[TABLE.partitionKey]), String(b[TABLE.partitionKey])) ||
          byteOrder(String(a[TABLE.sortKey]), String(b[TABLE.sortKey])),
      )
      .map((item) => ({ ...item }));
  }

  async count(partition: string): Promise<number> {
    return (await this.query(partition)).length;
  }

  async query(partition: string, options: QueryOptions = {}): Promise<Item[]> {
    const pk = options.index ? TABLE.gsi1.partitionKey : TABLE.partitionKey;
    const sk = options.index ? TABLE.gsi1.sortKey : TABLE.sortKey;
    const found = [...this.items.values()]
      .filter(
        (item) =>
          item[pk] === partition &&
          typeof item[sk] === 'string' &&
          (options.beginsWith === undefined || item[sk].startsWith(options.beginsWith)),
      )
      .sort(
        (a, b) =>
          byteOrder(String(a[sk]), String(b[sk])) ||
          byteOrder(String(a[TABLE.partitionKey]), String(b[TABLE.partitionKey])) ||
          byteOrder(String(a[TABLE.sortKey]), String(b[TABLE.sortKey])),
      )
      .map((item) => ({ ...item }));
    return options.limit === undefined ? found : found.slice(0, options.limit);
  }

  /** A page as DynamoDB gives it: from after the cursor's key, in (or against) key order. */
  async queryPage(partition: string, options: PageOptions): Promise<Page> {
    const { limit, cursor, descending, ...query } = options;
    const all = await this.query(partition, query);
    if (descending) all.reverse();
    let from = 0;
    if (cursor !== undefined) {
      // As DynamoDB's ExclusiveStartKey: the page starts after the key, whether or not an
      // item still has it.
      const after = decodeCursor(cursor);
      const sk = options.index ? TABLE.gsi1.sortKey : TABLE.sortKey;
      const order = (item: Item) =>
        byteOrder(String(item[sk]), String(after[sk])) ||
        byteOrder(String(item[TABLE.partitionKey]), String(after[TABLE.partitionKey])) ||
        byteOrder(String(item[TABLE.sortKey]), String(after[TABLE.sortKey]));
      from = all.findIndex((item) => (descending ? order(item) < 0 : order(item) > 0));
      if (from === -1) from = all.length;
    }
    const items = all.slice(from, from + limit);
    const last = items.at(-1);
    if (!last || from + limit >= all.length) return { items };
    const keyNames = [
      TABLE.partitionKey,
      TABLE.sortKey,
      ...(options.index ? [TABLE.gsi1.partitionKey, TABLE.gsi1.sortKey] : []),
    ];
    return pageEndingAt(items, Object.fromEntries(keyNames.map((k) => [k, String(last[k])])));
  }
}

/** DynamoDB's item size limit (attribute names and values, in bytes). */
const MAX_ITEM_BYTES = 400 * 1024;

/** What DynamoDB refuses with a ValidationException, refused here too. */
function checked(item: Item): Item {
  for (const name of [TABLE.partitionKey, TABLE.sortKey]) {
    const value = item[name];
    if (typeof value !== 'string' || value === '') throw new Error(`${name} must be a non-empty string`);
  }
  // The index keys are declared as strings (DynamoTable.ensure, sst.config.ts).
  for (const name of [TABLE.gsi1.partitionKey, TABLE.gsi1.sortKey]) {
    const value = item[name];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw new Error(`${name} must be a non-empty string when present`);
  }
  const bytes = Object.entries(item).reduce(
    (n, [name, value]) => n + Buffer.byteLength(name) + Buffer.byteLength(String(value)),
    0,
  );
  if (bytes > MAX_ITEM_BYTES) throw new Error(`item size ${bytes} exceeds ${MAX_ITEM_BYTES} bytes`);
  return item;
}

/** A key must be exactly PK and SK (DynamoDB refuses other attributes in a key). */
function keyOnly(key: ItemKey): ItemKey {
  const names = Object.keys(key);
  if (names.length !== 2 || typeof key.PK !== 'string' || typeof key.SK !== 'string')
    throw new Error(`a key has exactly ${TABLE.partitionKey} and ${TABLE.sortKey}: ${names.join(', ')}`);
  return key;
}

function storageKey(item: ItemKey | Item): string {
  return JSON.stringify([item[TABLE.partitionKey], item[TABLE.sortKey]]);
}

/** DynamoDB orders string sort keys by their UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
