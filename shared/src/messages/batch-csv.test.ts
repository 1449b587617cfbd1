import { describe, expect, it } from 'vitest';
import { csvRecords, readBatchCsv } from './batch-csv';
import type { BatchField } from './batch-fields';

const fields: BatchField[] = [
  { name: 'HELLO', required: true, secret: false },
  { name: 'WORLD', required: false, secret: false },
  { name: 'PUK', required: true, secret: true },
];

const refusal = (text: string, cards?: number) => {
  try {
    readBatchCsv(text, fields, cards);
  } catch (error) {
    return error as { code: string; details: { row: number; column?: string }; message: string };
  }
  throw new Error('the CSV was taken');
};

describe('batch CSV checked against the encoding fields', () => {
  it('gives one row of fields per card, in order, with quotes and CRLF as RFC 4180 has them', () => {
    const rows = readBatchCsv('HELLO,WORLD,PUK\r\n"a,b",,1234\r\n"say ""hi""",x,5678\r\n', fields, 2);
    expect(rows).toEqual([
      { HELLO: 'a,b', WORLD: '', PUK: '1234' },
      { HELLO: 'say "hi"', WORLD: 'x', PUK: '5678' },
    ]);
  });

  it('refuses an unknown, a doubled and a missing column at row 1 with the column', () => {
    expect(refusal('HELLO,WORLD,PUK,EXTRA\n1,2,3,4\n').details).toEqual({ row: 1, column: 'EXTRA' });
    expect(refusal('HELLO,WORLD,PUK,HELLO\n1,2,3,4\n').details).toEqual({ row: 1, column: 'HELLO' });
    expect(refusal('HELLO,WORLD\n1,2\n').details).toEqual({ row: 1, column: 'PUK' });
    expect(refusal('\n').code).toBe('BATCH_CSV_INVALID');
  });

  it('refuses an empty required value with its row and column, and never repeats a value', () => {
    const error = refusal('HELLO,WORLD,PUK\nh,w,9999\nh,w,\n');
    expect(error).toMatchObject({ code: 'BATCH_CSV_INVALID', details: { row: 3, column: 'PUK' } });
    expect(error.message).not.toContain('9999');
  });

  it('refuses fewer rows than cards, a row of the wrong width and an unclosed quote', () => {
    expect(refusal('HELLO,WORLD,PUK\nh,w,1\n', 3).details).toEqual({ row: 3 });
    expect(refusal('HELLO,WORLD,PUK\nh,w\n').details).toEqual({ row: 2 });
    expect(refusal('HELLO,WORLD,PUK\n"h,w,1\n').code).toBe('BATCH_CSV_INVALID');
    expect(refusal('HELLO,WORLD,PUK\n"h"x,w,1\n').details).toEqual({ row: 2 });
    expect(refusal('HELLO,WORLD,PUK\n').details).toEqual({ row: 2 });
  });

  it('reads a last record without a line end, and a quoted line break as part of the cell', () => {
    expect(csvRecords('a,b\n"1\n2",3')).toEqual([
      ['a', 'b'],
      ['1\n2', '3'],
    ]);
  });
});
