import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { storageCall } from './storage-errors';
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
 * The table port (table-port.ts) over the DynamoDB API: the same calls against dynalite
 * locally and DynamoDB in AWS. Only composition roots construct it.
 */
export class DynamoTable implements Table {
  constructor(
    private readonly client: DynamoDBClient,
    readonly name: string,
  ) {}

  /** Creates the table when missing (local development and tests). */
  async ensure(): Promise<void> {
    try {
      await storageCall(() => this.client.send(new DescribeTableCommand({ TableName: this.name })));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const { partitionKey: pk, sortKey: sk, gsi1 } = TABLE;
    await storageCall(() =>
      this.client.send(
        new CreateTableCommand({
          TableName: this.name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [pk, sk, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
            AttributeName: name,
            AttributeType: 'S',
          })),
          KeySchema: [
            { AttributeName: pk, KeyType: 'HASH' },
            { AttributeName: sk, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: gsi1.name,
              KeySchema: [
                { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
                { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      ),
    );
  }

  /** Put that succeeds only when no item has this key: false when one already exists. */
  async putNew(item: Item): Promise<boolean> {
    return this.putIfVersion(item, undefined);
  }

  /** Put guarded by the item's current `version` (optimistic concurrency; none: the item must not exist). */
  async putIfVersion(item: Item, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await storageCall(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.name,
            Item: marshal(item),
            ...(expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#v = :v',
                  ExpressionAttributeNames: { '#v': 'version' },
                  ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } },
                }),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Unconditional put (for items whose content is idempotent by construction). */
  async put(item: Item): Promise<void> {
    await storageCall(() =>
      this.client.send(new PutItemCommand({ TableName: this.name, Item: marshal(item) })),
    );
  }

  /** Removes an item (no error when it is not there). */
  async delete(key: ItemKey): Promise<void> {
    await storageCall(() =>
      this.client.send(new DeleteItemCommand({ TableName: this.name, Key: marshal(key) })),
    );
  }

  async get(key: ItemKey): Promise<Item | undefined> {
    const out = await storageCall(() =>
      this.client.send(new GetItemCommand({ TableName: this.name, Key: marshal(key), ConsistentRead: true })),
    );
    return out.Item ? unmarshal(out.Item) : undefined;
  }

  /** How many items a partition holds, without reading them (Select COUNT). */
  async count(partition: string): Promise<number> {
    let total = 0;
    await this.queryAll({ ...this.partitionQuery(partition, {}), Select: 'COUNT' }, (out) => {
      total += out.Count ?? 0;
      return true;
    });
    return total;
  }

  /** All items of a partition (or of a GSI1 partition), in sort-key order. */
  async query(partition: string, options: QueryOptions = {}): Promise<Item[]> {
    const items: Item[] = [];
    await this.queryAll(this.partitionQuery(partition, options), (out) => {
      for (const item of out.Items ?? []) items.push(unmarshal(item));
      return options.limit === undefined || items.length < options.limit;
    });
    return options.limit === undefined ? items : items.slice(0, options.limit);
  }

  /** One Query call: `Limit`, `ExclusiveStartKey` from the cursor, its LastEvaluatedKey as the next. */
  async queryPage(partition: string, options: PageOptions): Promise<Page> {
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const out = await storageCall(() =>
      this.client.send(
        new QueryCommand({
          ...this.partitionQuery(partition, options),
          Limit: options.limit,
          ...(options.descending ? { ScanIndexForward: false } : {}),
          ...(start ? { ExclusiveStartKey: marshal(start) } : {}),
        }),
      ),
    );
    const last = out.LastEvaluatedKey;
    return pageEndingAt((out.Items ?? []).map(unmarshal), last ? unmarshal(last) : undefined);
  }

  /** The Query input that names a partition (or a GSI1 partition) and an optional sort-key prefix. */
  private partitionQuery(
    partition: string,
    options: Pick<QueryOptions, 'index' | 'beginsWith'>,
  ): QueryCommandInput {
    const pkName = options.index ? TABLE.gsi1.partitionKey : TABLE.partitionKey;
    const skName = options.index ? TABLE.gsi1.sortKey : TABLE.sortKey;
    return {
      TableName: this.name,
      ...(options.index ? { IndexName: options.index } : {}),
      KeyConditionExpression: options.beginsWith ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': pkName, ...(options.beginsWith ? { '#sk': skName } : {}) },
      ExpressionAttributeValues: {
        ':pk': { S: partition },
        ...(options.beginsWith ? { ':sk': { S: options.beginsWith } } : {}),
      },
      // GSI reads are eventually consistent in DynamoDB; only table reads can be consistent.
      ...(options.index ? {} : { ConsistentRead: true }),
    };
  }

  /** Query calls from each LastEvaluatedKey on, while `more` asks for more and the partition goes on. */
  private async queryAll(
    input: QueryCommandInput,
    more: (out: QueryCommandOutput) => boolean,
  ): Promise<void> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await storageCall(() =>
        this.client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) })),
      );
      start = out.LastEvaluatedKey;
      if (!more(out)) return;
    } while (start);
  }
}

function marshal(item: Item): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }]),
  );
}

function unmarshal(item: Record<string, AttributeValue>): Item {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, v.N !== undefined ? Number(v.N) : (v.S ?? '')]),
  );
}
