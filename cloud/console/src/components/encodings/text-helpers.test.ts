import { describe, expect, it } from 'vitest';
import { parseFieldLines } from './field-lines';
import { lineRange } from './line-range';
import { idFromName, mergeFiles } from './read-files';

describe('the upload and dry-run text helpers', () => {
  it('finds the offsets of a line, so the editor can select it', () => {
    const text = 'one\ntwo\nthree';
    const [start, end] = lineRange(text, 2);
    expect(text.slice(start, end)).toBe('two');
    expect(text.slice(...lineRange(text, 3))).toBe('three');
    expect(lineRange(text, 9)).toEqual([text.length, text.length]);
  });

  it('replaces a file chosen again by name, and keeps the bundle in name order', () => {
    const merged = mergeFiles(
      [
        { name: 'b.apdu', text: 'old' },
        { name: 'encoding.ini', text: 'ini' },
      ],
      [
        { name: 'b.apdu', text: 'new' },
        { name: 'a.apdu', text: 'a' },
      ],
    );
    expect(merged).toEqual([
      { name: 'a.apdu', text: 'a' },
      { name: 'b.apdu', text: 'new' },
      { name: 'encoding.ini', text: 'ini' },
    ]);
  });

  it('derives an encoding id from a folder or file name as the CLI does', () => {
    expect(idFromName('read-version')).toBe('read-version');
    expect(idFromName('set-pin.ini')).toBe('set-pin');
    expect(idFromName('My Bundle (2)')).toBe('My-Bundle--2-');
  });

  it('reads NAME=value lines, a value keeping its own "=" and lines without a name dropped', () => {
    expect(parseFieldLines('LABEL=card=1\n=x\nnothing\n  PIN_LEN = 6 ')).toEqual({
      LABEL: 'card=1',
      PIN_LEN: '6',
    });
  });
});
