import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle } from '../bundle/bundle';
import { readBundleFromPath } from './bundle-from-path';

let directory = '';
const bytes = (text: string) => new TextEncoder().encode(text);
const named = (bundle: Bundle) =>
  bundle.files
    .map((f) => [f.name, new TextDecoder().decode(f.bytes)])
    .sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1));

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cardfleet-bundle-'));
  writeFileSync(join(directory, 'card.ini'), '[card]');
  writeFileSync(join(directory, 'init.apdu'), '00A40400');
  writeFileSync(join(directory, 'LOUD.APDU'), '00B00000');
  writeFileSync(join(directory, 'notes.txt'), 'notes');
  mkdirSync(join(directory, 'nested.apdu'));
  writeFileSync(join(directory, 'nested.apdu', 'deep.apdu'), 'deep');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('a bundle read from disk', () => {
  it('from a directory holds its top-level files, not its subdirectories', () => {
    expect(named(readBundleFromPath(directory))).toEqual([
      ['LOUD.APDU', '00B00000'],
      ['card.ini', '[card]'],
      ['init.apdu', '00A40400'],
      ['notes.txt', 'notes'],
    ]);
  });

  it('from a lone encoding file brings the .apdu files beside it, whatever their case, and nothing else', () => {
    const bundle = readBundleFromPath(join(directory, 'card.ini'));
    expect(bundle.files[0]?.name).toBe('card.ini');
    expect(named(bundle)).toEqual([
      ['LOUD.APDU', '00B00000'],
      ['card.ini', '[card]'],
      ['init.apdu', '00A40400'],
    ]);
  });

  it('from a zip holds the archive entries, whatever the case of its extension', () => {
    for (const name of ['bundle.zip', 'BUNDLE.ZIP']) {
      const path = join(directory, name);
      writeFileSync(path, zipSync({ 'enc.ini': bytes('[enc]'), 'dir/a.apdu': bytes('00') }));
      expect(named(readBundleFromPath(path))).toEqual([
        ['a.apdu', '00'],
        ['enc.ini', '[enc]'],
      ]);
    }
  });

  it('from a broken zip is refused under the archive name', () => {
    const path = join(directory, 'broken.zip');
    writeFileSync(path, 'not a zip');
    expect(() => readBundleFromPath(path)).toThrow(
      expect.objectContaining({
        code: 'BUNDLE_BAD_ZIP',
        message: 'broken.zip is not a readable zip archive',
      }),
    );
  });

  it('from a missing path is refused as not found, keeping the cause', () => {
    const path = join(directory, 'absent');
    let thrown: unknown;
    try {
      readBundleFromPath(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'BUNDLE_NOT_FOUND', message: `${path}: no such file or directory` });
    expect((thrown as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});
