import { CardfleetError } from '@cardfleet/shared';
import { MemoryTable } from '../../cloud/src/storage/memory-table';
import type { Item, ItemKey } from '../../cloud/src/storage/table-port';

/**
 * A MemoryTable whose chosen conditional writes always lose, as if another writer got
 * there first every time (optimistic-write contention), or whose reads fail as the
 * DynamoDB adapter reports an unavailable table — for the error-mapping tests.
 */
export function contendedTable(
  loses: { putNew?: boolean; putIfVersion?: boolean; unavailable?: boolean } = {},
): MemoryTable {
  return new (class extends MemoryTable {
    override async get(key: ItemKey): Promise<Item | undefined> {
      if (loses.unavailable)
        throw new CardfleetError('STORAGE_UNAVAILABLE', 'the table is unavailable; try again', {
          cause: new Error('ThrottlingException: rate exceeded'),
        });
      return super.get(key);
    }
    override async putNew(item: Item): Promise<boolean> {
      return loses.putNew ? false : super.putNew(item);
    }
    override async putIfVersion(item: Item, expectedVersion: number | undefined): Promise<boolean> {
      return loses.putIfVersion ? false : super.putIfVersion(item, expectedVersion);
    }
  })();
}
