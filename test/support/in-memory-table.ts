import type { DynamoTable, Item } from '../../cloud/src/storage/dynamo-table';

type Key = { PK: string; SK: string };

/**
 * A table in memory with DynamoTable's conditional writes, for unit tests without
 * dynalite. `loses` makes chosen conditional writes fail as if another writer always got
 * there first (optimistic-write contention).
 */
export function inMemoryTable(loses: { putNew?: boolean; putIfVersion?: boolean } = {}): DynamoTable {
  const items = new Map<string, Item>();
  const id = (key: Item | Key) => `${key.PK}\u0000${key.SK}`;
  const table = {
    putNew: async (item: Item) => {
      if (loses.putNew || items.has(id(item))) return false;
      items.set(id(item), { ...item });
      return true;
    },
    putIfVersion: async (item: Item, expected: number | undefined) => {
      const current = items.get(id(item));
      if (loses.putIfVersion) return false;
      if (expected === undefined ? current !== undefined : Number(current?.version) !== expected)
        return false;
      items.set(id(item), { ...item });
      return true;
    },
    put: async (item: Item) => {
      items.set(id(item), { ...item });
    },
    delete: async (key: Key) => {
      items.delete(id(key));
    },
    get: async (key: Key) => {
      const item = items.get(id(key));
      return item && { ...item };
    },
    count: async (partition: string) => [...items.values()].filter((i) => i.PK === partition).length,
    query: async (
      partition: string,
      options: { index?: 'GSI1'; beginsWith?: string; limit?: number } = {},
    ) => {
      const [pk, sk] = options.index ? ['GSI1PK', 'GSI1SK'] : ['PK', 'SK'];
      const found = [...items.values()]
        .filter((i) => i[pk] === partition && String(i[sk]).startsWith(options.beginsWith ?? ''))
        .sort((a, b) => (String(a[sk]) < String(b[sk]) ? -1 : 1))
        .map((i) => ({ ...i }));
      return options.limit === undefined ? found : found.slice(0, options.limit);
    },
  };
  return table as unknown as DynamoTable;
}
