import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileDurably } from './durable-file';

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cardfleet-durable-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('a durably written file', () => {
  it('is created with its directories, readable by its owner only, and no temporary file left', () => {
    const path = join(directory, 'state', 'agent', 'ledger.json');
    writeFileDurably(path, '{"seq":1}');
    expect(readFileSync(path, 'utf8')).toBe('{"seq":1}');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(directory, 'state', 'agent'))).toEqual(['ledger.json']);
  });

  it('replaces the old content whole, longer or shorter', () => {
    const path = join(directory, 'ledger.json');
    writeFileSync(path, 'x'.repeat(100));
    writeFileDurably(path, 'short');
    expect(readFileSync(path, 'utf8')).toBe('short');
    writeFileDurably(path, 'a longer text than before');
    expect(readFileSync(path, 'utf8')).toBe('a longer text than before');
    expect(readdirSync(directory)).toEqual(['ledger.json']);
  });
});

describe('durable writes', () => {
  it('close the file they write (Linux: the open descriptors in /proc/self/fd)', () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const path = join(directory, 'ledger.json');
    writeFileDurably(path, 'warm-up');
    const before = open();
    for (let i = 0; i < 20; i++) writeFileDurably(path, `write ${i}`);
    expect(open() - before).toBeLessThan(10);
    expect(readFileSync(path, 'utf8')).toBe('write 19');
  });
});
