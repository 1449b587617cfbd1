import { readFileSync } from 'node:fs';
import { type KnownCard, parseSmartcardList } from '../atr/atr-match';

/**
 * pcsc-tools ships the community ATR list; we read the system's copy instead of
 * keeping our own. Missing file → empty list (matching then uses the built-in
 * vendor lists only).
 */
export const SMARTCARD_LIST_PATHS = [
  '/usr/share/pcsc/smartcard_list.txt',
  '/usr/local/share/pcsc/smartcard_list.txt',
];

let cached: KnownCard[] | undefined;

export function loadSystemSmartcardList(paths: readonly string[] = SMARTCARD_LIST_PATHS): KnownCard[] {
  if (cached && paths === SMARTCARD_LIST_PATHS) return cached;
  for (const path of paths) {
    try {
      const list = parseSmartcardList(readFileSync(path, 'latin1'));
      if (paths === SMARTCARD_LIST_PATHS) cached = list;
      return list;
    } catch {
      // try the next location
    }
  }
  return [];
}
