import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KnownCard, matchCardNames } from '../atr/atr-match';
import { parseHex } from '../bytes/hex';
import { decodeListText, loadSystemSmartcardList } from './smartcard-list-file';

describe('smartcard_list.txt on disk', () => {
  it('reads names as UTF-8, as pcsc-tools writes them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cardfleet-list-')), 'smartcard_list.txt');
    writeFileSync(path, '3B 02 14 35\n\tcartão cidadão (eID)\n\n3B 02 14 36\n\tTH Köln\n', 'utf8');
    const list = loadSystemSmartcardList([path]);
    expect(matchCardNames(parseHex('3B021435'), [list])).toEqual(['cartão cidadão (eID)']);
    expect(matchCardNames(parseHex('3B021436'), [list])).toEqual(['TH Köln']);
  });

  it('still reads a copy saved as Latin-1', () => {
    expect(decodeListText(Uint8Array.of(0x4b, 0xf6, 0x6c, 0x6e))).toBe('Köln');
  });
});

describe('the smartcard list locations', () => {
  const fresh = async () => {
    vi.resetModules();
    return import('./smartcard-list-file');
  };
  let directory = '';
  const listFile = (name: string, atr: string, card: string) => {
    const path = join(directory, name);
    writeFileSync(path, `${atr}\n\t${card}\n`, 'utf8');
    return path;
  };
  const names = (list: KnownCard[], atr: string) => matchCardNames(parseHex(atr), [list]);

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cardfleet-list-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('are the system copies of pcsc-tools, /usr then /usr/local', async () => {
    const { SMARTCARD_LIST_PATHS } = await fresh();
    expect(SMARTCARD_LIST_PATHS).toEqual([
      '/usr/share/pcsc/smartcard_list.txt',
      '/usr/local/share/pcsc/smartcard_list.txt',
    ]);
  });

  it('are tried in order, the first readable one wins, and none readable is an empty list', async () => {
    const { loadSystemSmartcardList } = await fresh();
    const first = listFile('first.txt', '3B 02 14 35', 'First card');
    const second = listFile('second.txt', '3B 02 14 35', 'Second card');
    const absent = join(directory, 'absent.txt');
    expect(names(loadSystemSmartcardList([absent, second, first]), '3B021435')).toEqual(['Second card']);
    expect(names(loadSystemSmartcardList([first, second]), '3B021435')).toEqual(['First card']);
    expect(loadSystemSmartcardList([absent])).toEqual([]);
    expect(loadSystemSmartcardList([])).toEqual([]);
  });

  it('given by the caller are read afresh on every call', async () => {
    const { loadSystemSmartcardList } = await fresh();
    const path = listFile('list.txt', '3B 02 14 35', 'Before');
    expect(names(loadSystemSmartcardList([path]), '3B021435')).toEqual(['Before']);
    listFile('list.txt', '3B 02 14 35', 'After');
    expect(names(loadSystemSmartcardList([path]), '3B021435')).toEqual(['After']);
  });

  it('of the system are read once and kept, and never stand in for a caller-given list', async () => {
    const { loadSystemSmartcardList, SMARTCARD_LIST_PATHS } = await fresh();
    const saved = [...SMARTCARD_LIST_PATHS];
    const system = listFile('system.txt', '3B 02 14 35', 'System card');
    const other = listFile('other.txt', '3B 02 14 36', 'Other card');
    SMARTCARD_LIST_PATHS.splice(0, SMARTCARD_LIST_PATHS.length, system);
    try {
      expect(names(loadSystemSmartcardList([other]), '3B021436')).toEqual(['Other card']);
      const read = loadSystemSmartcardList();
      expect(names(read, '3B021435')).toEqual(['System card']);
      listFile('system.txt', '3B 02 14 35', 'Changed card');
      expect(loadSystemSmartcardList()).toBe(read);
      expect(names(loadSystemSmartcardList([other]), '3B021436')).toEqual(['Other card']);
    } finally {
      SMARTCARD_LIST_PATHS.splice(0, SMARTCARD_LIST_PATHS.length, ...saved);
    }
  });

  it('of the system are read again while none could be read', async () => {
    const { loadSystemSmartcardList, SMARTCARD_LIST_PATHS } = await fresh();
    const saved = [...SMARTCARD_LIST_PATHS];
    const system = join(directory, 'later.txt');
    SMARTCARD_LIST_PATHS.splice(0, SMARTCARD_LIST_PATHS.length, system);
    try {
      expect(loadSystemSmartcardList()).toEqual([]);
      listFile('later.txt', '3B 02 14 35', 'Late card');
      expect(names(loadSystemSmartcardList(), '3B021435')).toEqual(['Late card']);
    } finally {
      SMARTCARD_LIST_PATHS.splice(0, SMARTCARD_LIST_PATHS.length, ...saved);
    }
  });
});

describe('the list text', () => {
  it('is UTF-8 when it decodes as such, Latin-1 otherwise', () => {
    expect(decodeListText(new TextEncoder().encode('TH Köln'))).toBe('TH Köln');
    expect(decodeListText(Uint8Array.of(0x41, 0xe9))).toBe('Aé');
  });
});
