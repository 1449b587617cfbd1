import { MemoryTable } from '../../cloud/src/storage/memory-table';
import type { Item } from '../../cloud/src/storage/table-port';

/**
 * A MemoryTable whose chosen conditional writes always lose, as if another writer got
 * there first every time (optimistic-write contention), for the error-mapping tests.
 */
export function contendedTable(loses: { putNew?: boolean; putIfVersion?: boolean } = {}): MemoryTable {
  return new (class extends MemoryTable {
    override async putNew(item: Item): Promise<boolean> {
      return loses.putNew ? false : super.putNew(item);
    }
    override async putIfVersion(item: Item, expectedVersion: number | undefined): Promise<boolean> {
      return loses.putIfVersion ? false : super.putIfVersion(item, expectedVersion);
    }
  })();
}
