import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor, type Item, type PageOptions, type Table } from './table-port';

/**
 * What every implementation of the table port must do, as one suite: run against
 * MemoryTable in the unit project (memory-table.test.ts) and against DynamoTable on
 * dynalite in the rig project (test/cloud/dynamo-table.test.ts), so the in-memory table
 * the unit tests use behaves as DynamoDB does for the calls the stores make.
 */
export function tableContract(
  name: string,
  open: () => Promise<{ table: Table; close?: () => Promise<void> }>,
): void {
  describe(`${name}: the table port contract`, () => {
    let table: Table;
    let close: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ table, close } = await open());
      await table.ensure();
    });
    afterEach(async () => {
      await close?.();
    });

    const key = { PK: 'P#1', SK: 'S#1' };

    it('gets back what was put, strings as strings and numbers as numbers, and undefined for no item', async () => {
      await table.put({ ...key, text: 'x', empty: '', n: 42, zero: 0 });
      expect(await table.get(key)).toEqual({ ...key, text: 'x', empty: '', n: 42, zero: 0 });
      expect(await table.get({ PK: 'P#1', SK: 'S#2' })).toBeUndefined();
    });

    it('puts a new item once: a second putNew on the key is refused and changes nothing', async () => {
      expect(await table.putNew({ ...key, n: 1 })).toBe(true);
      expect(await table.putNew({ ...key, n: 2 })).toBe(false);
      expect((await table.get(key))?.n).toBe(1);
    });

    it('overwrites with an unconditional put', async () => {
      await table.put({ ...key, a: 'first' });
      await table.put({ ...key, b: 'second' });
      expect(await table.get(key)).toEqual({ ...key, b: 'second' });
    });

    it('guards a put by the stored version, or by absence when no version is expected', async () => {
      expect(await table.putIfVersion({ ...key, version: 1, v: 'a' }, 1)).toBe(false); // nothing there yet
      expect(await table.putIfVersion({ ...key, version: 1, v: 'a' }, undefined)).toBe(true);
      expect(await table.putIfVersion({ ...key, version: 1, v: 'b' }, undefined)).toBe(false); // exists now
      expect(await table.putIfVersion({ ...key, version: 2, v: 'c' }, 7)).toBe(false); // stale
      expect(await table.putIfVersion({ ...key, version: 2, v: 'd' }, 1)).toBe(true);
      expect(await table.get(key)).toEqual({ ...key, version: 2, v: 'd' });
    });

    it('deletes an item, and deleting a missing one is no error', async () => {
      await table.put({ ...key, n: 1 });
      await table.delete(key);
      expect(await table.get(key)).toBeUndefined();
      await expect(table.delete(key)).resolves.toBeUndefined();
    });

    it('hands out copies: changing a returned item changes nothing stored', async () => {
      const written: Item = { ...key, n: 1 };
      await table.put(written);
      written.n = 2;
      const read = await table.get(key);
      if (read) read.n = 3;
      const [queried] = await table.query('P#1');
      if (queried) queried.n = 4;
      expect((await table.get(key))?.n).toBe(1);
    });

    it('queries one partition in sort-key order, by sort-key prefix, with a limit', async () => {
      for (const sk of ['B#2', 'A#9', 'B#10', 'B#1', 'HEAD']) await table.put({ PK: 'P#q', SK: sk });
      await table.put({ PK: 'P#other', SK: 'B#0' });
      const sks = (items: Item[]) => items.map((i) => i.SK);
      expect(sks(await table.query('P#q'))).toEqual(['A#9', 'B#1', 'B#10', 'B#2', 'HEAD']);
      expect(sks(await table.query('P#q', { beginsWith: 'B#' }))).toEqual(['B#1', 'B#10', 'B#2']);
      expect(sks(await table.query('P#q', { beginsWith: 'B#', limit: 2 }))).toEqual(['B#1', 'B#10']);
      expect(await table.query('P#none')).toEqual([]);
    });

    it('queries GSI1 by GSI1PK in GSI1SK order, holding only items that carry the index keys', async () => {
      await table.put({ PK: 'X#3', SK: 'X', GSI1PK: 'IDX', GSI1SK: 'paris#3', n: 3 });
      await table.put({ PK: 'X#1', SK: 'X', GSI1PK: 'IDX', GSI1SK: 'berlin#1', n: 1 });
      await table.put({ PK: 'X#2', SK: 'X', GSI1PK: 'IDX', GSI1SK: 'berlin#2', n: 2 });
      await table.put({ PK: 'X#4', SK: 'X', n: 4 }); // not in the index
      await table.put({ PK: 'X#5', SK: 'X', GSI1PK: 'OTHER', GSI1SK: 'berlin#5', n: 5 });
      const ns = (items: Item[]) => items.map((i) => i.n);
      expect(ns(await table.query('IDX', { index: 'GSI1' }))).toEqual([1, 2, 3]);
      expect(ns(await table.query('IDX', { index: 'GSI1', beginsWith: 'berlin#' }))).toEqual([1, 2]);
      expect(ns(await table.query('IDX', { index: 'GSI1', limit: 1 }))).toEqual([1]);
      expect(await table.query('IDX', { index: 'GSI1' })).toContainEqual({
        PK: 'X#1',
        SK: 'X',
        GSI1PK: 'IDX',
        GSI1SK: 'berlin#1',
        n: 1,
      });
      // A table query does not look at the index keys, and the index not at PK.
      expect(await table.query('IDX')).toEqual([]);
      expect(await table.query('X#1', { index: 'GSI1' })).toEqual([]);
    });

    it('pages through a partition with a cursor, forwards and backwards, by prefix and in GSI1', async () => {
      for (const n of [3, 1, 5, 2, 4]) {
        await table.put({ PK: 'P#pg', SK: `E#${n}`, GSI1PK: 'PGIDX', GSI1SK: `t#${n}`, n });
      }
      await table.put({ PK: 'P#pg', SK: 'HEAD' });
      const all = async (options: Omit<PageOptions, 'limit' | 'cursor'>, partition = 'P#pg') => {
        const pages: number[][] = [];
        let cursor: string | undefined;
        do {
          const page = await table.queryPage(partition, {
            ...options,
            limit: 2,
            ...(cursor ? { cursor } : {}),
          });
          expect(page.items.length).toBeLessThanOrEqual(2);
          pages.push(page.items.map((i) => Number(i.n)));
          cursor = page.cursor;
        } while (cursor);
        return pages.flat();
      };
      expect(await all({ beginsWith: 'E#' })).toEqual([1, 2, 3, 4, 5]);
      expect(await all({ beginsWith: 'E#', descending: true })).toEqual([5, 4, 3, 2, 1]);
      expect(await all({ index: 'GSI1' }, 'PGIDX')).toEqual([1, 2, 3, 4, 5]);
      expect(await all({ index: 'GSI1', descending: true }, 'PGIDX')).toEqual([5, 4, 3, 2, 1]);
      const first = await table.queryPage('P#pg', { beginsWith: 'E#', limit: 2 });
      expect(first.items.map((i) => i.SK)).toEqual(['E#1', 'E#2']);
      expect(typeof first.cursor).toBe('string');
      expect(await table.queryPage('P#none', { limit: 2 })).toEqual({ items: [] });
      // A cursor made from a key starts after it, whether or not an item still has it.
      const after2 = encodeCursor({ PK: 'P#pg', SK: 'E#2' });
      await table.delete({ PK: 'P#pg', SK: 'E#2' });
      const rest = await table.queryPage('P#pg', { beginsWith: 'E#', limit: 10, cursor: after2 });
      expect(rest.items.map((i) => i.n)).toEqual([3, 4, 5]);
      await expect(table.queryPage('P#pg', { limit: 2, cursor: 'not a cursor' })).rejects.toThrow();
    });

    it('counts the items of a partition', async () => {
      for (const sk of ['a', 'b', 'c']) await table.put({ PK: 'P#c', SK: sk });
      await table.put({ PK: 'P#d', SK: 'a' });
      expect(await table.count('P#c')).toBe(3);
      expect(await table.count('P#none')).toBe(0);
    });

    it('reads and counts a partition larger than one DynamoDB page (1 MB)', async () => {
      const body = 'x'.repeat(350 * 1024);
      for (let n = 0; n < 4; n++) await table.put({ PK: 'P#big', SK: `PART#${n}`, body });
      expect((await table.query('P#big')).map((i) => i.SK)).toEqual(['PART#0', 'PART#1', 'PART#2', 'PART#3']);
      expect(await table.count('P#big')).toBe(4);
    });

    it('refuses an item over 400 KB, an empty key and an index key that is not a string', async () => {
      await expect(table.put({ ...key, body: 'x'.repeat(401 * 1024) })).rejects.toThrow();
      await expect(table.putNew({ ...key, body: 'x'.repeat(401 * 1024) })).rejects.toThrow();
      await expect(table.put({ PK: '', SK: 'S' })).rejects.toThrow();
      await expect(table.put({ ...key, GSI1PK: 'IDX', GSI1SK: 7 })).rejects.toThrow();
      expect(await table.get(key)).toBeUndefined();
    });
  });
}
