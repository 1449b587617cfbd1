import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchCardNames } from '../atr/atr-match';
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
