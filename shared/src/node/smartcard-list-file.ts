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
      const list = parseSmartcardList(decodeListText(readFileSync(path)));
      if (paths === SMARTCARD_LIST_PATHS) cached = list;
      return list;
    } catch {
      // try the next location
    }
  }
  return [];
}

/**
 * pcsc-tools' list is UTF-8 ("cartão cidadão", "TH Köln"); a local copy saved in an older
 * 8-bit encoding is still read, as Latin-1, rather than refused.
 */
export function decodeListText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}
