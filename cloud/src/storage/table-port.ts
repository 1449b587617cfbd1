import { CardfleetError } from '@cardfleet/shared';

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

export interface PageOptions {
  /** Query the GSI1 partition instead of the table's (eventually consistent in DynamoDB). */
  index?: 'GSI1';
  /** Only items whose sort key (SK, or GSI1SK with `index`) starts with this. */
  beginsWith?: string;
  /** At most this many items on the page (DynamoDB `Limit`; a page may hold fewer). */
  limit: number;
  /** Where the previous page stopped: its `cursor`. */
  cursor?: string;
  /** Highest sort key first (DynamoDB `ScanIndexForward: false`). */
  descending?: boolean;
}

/**
 * One page of a query. `cursor` is an opaque base64url of the key the page stopped at
 * (DynamoDB's LastEvaluatedKey); absent when the query is done. A page may come back
 * empty with a cursor (DynamoDB stops at `Limit` without looking further).
 */
export interface Page {
  items: Item[];
  cursor?: string;
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
  /** One page of a partition (or of a GSI1 partition), from a previous page's cursor. */
  queryPage(partition: string, options: PageOptions): Promise<Page>;
}

/** A page whose cursor names `lastKey`, where the next page starts; without one, the last page. */
export function pageEndingAt(items: Item[], lastKey: Item | undefined): Page {
  if (!lastKey) return { items };
  return {
    items,
    cursor: encodeCursor(Object.fromEntries(Object.entries(lastKey).map(([k, v]) => [k, String(v)]))),
  };
}

/** The cursor of a page: the key it stopped at, as opaque base64url JSON of strings. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor names; a cursor that is not one of ours is refused. */
export function decodeCursor(cursor: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  )
    throw new CardfleetError('REQUEST_INVALID', 'the cursor is not one this API handed out');
  return parsed as Record<string, string>;
}
