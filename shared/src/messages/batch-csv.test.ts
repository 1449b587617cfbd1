import { describe, expect, it } from 'vitest';
import { csvRecords, MAX_BATCH_ROWS, readBatchCsv } from './batch-csv';
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

describe('batch CSV edges', () => {
  const one: BatchField[] = [{ name: 'A', required: false, secret: false }];
  const refusalOf = (text: string, of: readonly BatchField[], cards?: number) => {
    try {
      readBatchCsv(text, of, cards);
    } catch (error) {
      const { code, details, message } = error as { code: string; details: unknown; message: string };
      return { code, details, message };
    }
    throw new Error('the CSV was taken');
  };

  it('refuses an empty file and a blank header as having no header row', () => {
    for (const text of ['', '\n', '\r\n'])
      expect(refusalOf(text, one)).toEqual({
        code: 'BATCH_CSV_INVALID',
        details: { row: 1 },
        message: 'the CSV has no header row of field names',
      });
  });

  it('takes a header of one field, and names an empty column among others as unknown', () => {
    expect(readBatchCsv('A\nx\n\n', one, undefined)).toEqual([{ A: 'x' }, { A: '' }]);
    expect(refusalOf(',A\n,x\n', one)).toEqual({
      code: 'BATCH_CSV_INVALID',
      details: { row: 1, column: '' },
      message: 'column "" is not a field of the encoding',
    });
  });

  it('says which column is doubled or missing', () => {
    expect(refusal('HELLO,WORLD,PUK,WORLD\n1,2,3,4\n').message).toBe('column "WORLD" appears twice');
    expect(refusal('HELLO,PUK\n1,3\n')).toMatchObject({
      details: { row: 1, column: 'WORLD' },
      message: `the encoding's field "WORLD" has no column`,
    });
  });

  it(`takes ${MAX_BATCH_ROWS} card rows and refuses one more at the row after the last allowed`, () => {
    const rows = (n: number) => `A\n${'x\n'.repeat(n)}`;
    expect(readBatchCsv(rows(MAX_BATCH_ROWS), one, undefined)).toHaveLength(MAX_BATCH_ROWS);
    expect(refusalOf(rows(MAX_BATCH_ROWS + 1), one)).toEqual({
      code: 'BATCH_CSV_INVALID',
      details: { row: 10_002 },
      message: 'at most 10000 cards',
    });
  });

  it('refuses a row with more cells than the header as well as one with fewer', () => {
    expect(refusal('HELLO,WORLD,PUK\nh,w,1\nh,w,1,2\n')).toMatchObject({
      details: { row: 3 },
      message: 'row 3 has 4 cells; the header has 3',
    });
    expect(refusal('HELLO,WORLD,PUK\nh,w\n').message).toBe('row 2 has 2 cells; the header has 3');
  });

  it('takes as many card rows as the batch needs or more, and without a count at least one', () => {
    const text = 'HELLO,WORLD,PUK\nh,,1\nh,,2\nh,,3\n';
    expect(readBatchCsv(text, fields, 3)).toHaveLength(3);
    expect(readBatchCsv(text, fields, 2)).toHaveLength(3);
    expect(refusal(text, 4)).toEqual(
      expect.objectContaining({ details: { row: 5 }, message: 'the CSV has 3 card rows; the batch needs 4' }),
    );
    expect(refusal('HELLO,WORLD,PUK\n', 1)).toMatchObject({
      details: { row: 2 },
      message: 'the CSV has 0 card rows; the batch needs 1',
    });
    expect(refusal('HELLO,WORLD,PUK').message).toBe('the CSV has no card rows');
  });

  it('names the required field that is empty, and takes an empty optional one', () => {
    expect(refusal('HELLO,WORLD,PUK\n,w,1\n')).toMatchObject({
      details: { row: 2, column: 'HELLO' },
      message: 'row 2: "HELLO" is required and empty',
    });
    expect(readBatchCsv('PUK,HELLO,WORLD\n1,h,\n', fields, 1)).toEqual([{ PUK: '1', HELLO: 'h', WORLD: '' }]);
  });
});

describe('CSV records (RFC 4180)', () => {
  it('ends a record at LF, CRLF or a lone CR, and adds none for a trailing line end', () => {
    expect(csvRecords('a\nb\r\nc\rd')).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(csvRecords('a\r\n')).toEqual([['a']]);
    expect(csvRecords('a\r\r')).toEqual([['a'], ['']]);
    expect(csvRecords('a\n\nb')).toEqual([['a'], [''], ['b']]);
    expect(csvRecords('')).toEqual([]);
  });

  it('keeps an empty last cell after a comma', () => {
    expect(csvRecords('a,')).toEqual([['a', '']]);
    expect(csvRecords(',')).toEqual([['', '']]);
    expect(csvRecords('a,\n')).toEqual([['a', '']]);
  });

  it('reads a quote inside an unquoted cell as itself, and "" inside a quoted one as one quote', () => {
    expect(csvRecords('a"b,c""')).toEqual([['a"b', 'c""']]);
    expect(csvRecords('"a""b","""",""')).toEqual([['a"b', '"', '']]);
    expect(csvRecords('"a,b\r\nc"')).toEqual([['a,b\r\nc']]);
  });

  it('takes a closing quote before a comma, a line end or the end of the text', () => {
    expect(csvRecords('"a","b"\n"c"\r\n"d"\r"e"')).toEqual([['a', 'b'], ['c'], ['d'], ['e']]);
  });

  it('refuses text after a closing quote and an unclosed quote, counting rows across quoted line breaks', () => {
    const refused = (text: string) => {
      try {
        csvRecords(text);
      } catch (error) {
        const { code, details, message } = error as { code: string; details: unknown; message: string };
        return { code, details, message };
      }
      throw new Error('taken');
    };
    expect(refused('a\n"x\ny"z')).toEqual({
      code: 'BATCH_CSV_INVALID',
      details: { row: 3 },
      message: 'row 3: text after a closing quote',
    });
    expect(refused('"x\ry" ')).toMatchObject({ details: { row: 1 } });
    expect(refused('a\nb\n"c\nd')).toEqual({
      code: 'BATCH_CSV_INVALID',
      details: { row: 4 },
      message: 'row 4: a quoted cell is not closed',
    });
    expect(refused('"')).toMatchObject({ details: { row: 1 } });
  });
});
