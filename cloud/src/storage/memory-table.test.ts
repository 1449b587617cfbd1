import { describe, expect, it } from 'vitest';
import { MemoryTable } from './memory-table';
import { tableContract } from './table-contract';

tableContract('MemoryTable', async () => ({ table: new MemoryTable() }));

describe('MemoryTable beyond the contract', () => {
  it('lists every stored item (for the key-catalogue check), as copies', async () => {
    const table = new MemoryTable();
    await table.put({ PK: 'B', SK: '1', n: 1 });
    await table.put({ PK: 'A', SK: '2', n: 2 });
    const all = table.allItems();
    expect(all).toEqual([
      { PK: 'A', SK: '2', n: 2 },
      { PK: 'B', SK: '1', n: 1 },
    ]);
    (all[0] as { n: number }).n = 9;
    expect((await table.get({ PK: 'A', SK: '2' }))?.n).toBe(2);
  });

  it('refuses a key with attributes besides PK and SK, as DynamoDB does', async () => {
    const table = new MemoryTable();
    await table.put({ PK: 'A', SK: '1', n: 1 });
    await expect(table.get({ PK: 'A', SK: '1', n: 1 } as { PK: string; SK: string })).rejects.toThrow();
  });

  it('refuses an empty index key, as DynamoDB does', async () => {
    await expect(new MemoryTable().put({ PK: 'A', SK: '1', GSI1PK: '', GSI1SK: 'x' })).rejects.toThrow();
  });
});
