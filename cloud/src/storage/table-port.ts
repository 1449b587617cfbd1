/**
 * The table port: what the stores need from the single table (table-design.ts), and
 * nothing more. DynamoTable implements it over the DynamoDB API (AWS, or dynalite
 * locally); MemoryTable implements it in memory for unit tests. Both satisfy the same
 * contract suite (table-contract.ts). Items are plain objects of strings and numbers;
 * binary data is stored base64 in strings, so the mapping to DynamoDB stays obvious.
 */
export type Item = Record<string, string | number>;

/** The primary key of an item (TABLE.partitionKey / TABLE.sortKey). */
export type ItemKey = { PK: string; SK: string };

export interface QueryOptions {
  /** Query the GSI1 partition instead of the table's (eventually consistent in DynamoDB). */
  index?: 'GSI1';
  /** Only items whose sort key (SK, or GSI1SK with `index`) starts with this. */
  beginsWith?: string;
  /** At most this many items, the first in sort-key order. */
  limit?: number;
}

export interface Table {
  /** Creates the table when missing (local development and tests). */
  ensure(): Promise<void>;
  /** Put that succeeds only when no item has this key: false when one already exists. */
  putNew(item: Item): Promise<boolean>;
  /**
   * Put guarded by the stored item's `version` attribute (optimistic concurrency):
   * with `expectedVersion` undefined, only when no item has this key.
   */
  putIfVersion(item: Item, expectedVersion: number | undefined): Promise<boolean>;
  /** Unconditional put (for items whose content is idempotent by construction). */
  put(item: Item): Promise<void>;
  /** Removes an item (no error when it is not there). */
  delete(key: ItemKey): Promise<void>;
  /** The item (strongly consistent read), or undefined. */
  get(key: ItemKey): Promise<Item | undefined>;
  /** How many items a partition holds, without reading them. */
  count(partition: string): Promise<number>;
  /** All items of a partition (or of a GSI1 partition), in sort-key order. */
  query(partition: string, options?: QueryOptions): Promise<Item[]>;
}
