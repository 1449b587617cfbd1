import { parseHexLenient, toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Known-card lists. Two forms exist:
 *  - `ATR / MASK` patterns, like the Gemalto middleware's [ATR] list: entries are
 *    patterns, not ATRs (some mask their TCK or T0). A card matches when the lengths
 *    are equal and (atr & mask) = (pattern & mask); no mask means all bits count.
 *  - pcsc-tools' smartcard_list.txt: each ATR line is a regular expression over the
 *    spaced upper-case hex ("3B 8F 80 .."), followed by tab-indented names.
 */
export interface KnownCard {
  names: string[];
  matches(atr: Uint8Array): boolean;
  /** The entry as written (for printouts). */
  source: string;
}

export function maskedPattern(text: string, names: string[]): KnownCard {
  const [patternText = '', maskText] = text.split('/').map((s) => s.trim());
  const pattern = parseHexLenient(patternText);
  const mask = maskText === undefined ? undefined : parseHexLenient(maskText);
  if (!(pattern instanceof Uint8Array) || (mask !== undefined && !(mask instanceof Uint8Array))) {
    throw new CardfleetError('ATR_BAD_PATTERN', `'${text}' is not ATR or ATR / MASK in hex`);
  }
  if (mask && mask.length !== pattern.length) {
    throw new CardfleetError('ATR_BAD_PATTERN', `pattern and mask lengths differ in '${text}'`);
  }
  return {
    names,
    source: text,
    matches(atr) {
      if (atr.length !== pattern.length) return false;
      for (let i = 0; i < atr.length; i++) {
        const m = mask ? (mask[i] ?? 0) : 0xff;
        if (((atr[i] ?? 0) & m) !== ((pattern[i] ?? 0) & m)) return false;
      }
      return true;
    },
  };
}

/** The Gemalto seed's [ATR] list (Gemalto.PKCS11.ini), entries ATR1..ATR18. */
export const GEMALTO_MIDDLEWARE_ATRS: readonly KnownCard[] = [
  '3BFF0000008131004380318065B000000000120FFE82900000 / FFFF00FFFFFFFF00FFFFFFFFFFFF00000000FFFFFFFFFFFF00',
  '3B7F00000080318065B000000000120FFE829000 / FFFF00FFFFFFFFFFFFFF00000000FFFFFFFFFFFF',
  '3B8A80010031C173C8400000900090',
  '3B9F96C00A3FC0A08031E073FE211065D001000000000000 / FFFFFFFFFFFFF0FFFFFFFFFFFFFFF0FFFFFF000000000000',
  '3B8F800180318065B000000000120FFE82900000 / FFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFF00',
  '3B8180018080',
  '3B80800101',
  '3BEE00008131804380318066B1A11101A0F6830090008F',
  '3B888001000000000001000000 / FFFFFFFF0F0000FF000F000000',
  '3B0000417374726964 / FF0000FFFFFFFFFFFF',
  '3B6E000080318066B1A11101A0F683009000',
  '3B86800106778077028003',
  '3B6E000080318066B0870C016E0183009000',
  '3B8E800180318066B1840C016E018300900000 / FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00',
  '3B6F00008066B0070101070000000000009000 / FFFFFFFFFFFFFFFFFFFFFF000000000000FFFF',
  '3B8F80018066B007010107000000000000900000 / FFFFFFFFFFFFFFFFFFFFFF000000000000FFFF00',
  '3B6800008066B00701010707',
  '3B8880018066B0070101070000 / FFFFFFFFFFFFFFFFFFFFFF0000',
].map((entry, i) => maskedPattern(entry, [`Gemalto IDPrime / SafeNet (middleware ATR${i + 1})`]));

/** Parses pcsc-tools' smartcard_list.txt; entries whose regex is invalid are skipped. */
export function parseSmartcardList(text: string): KnownCard[] {
  const cards: KnownCard[] = [];
  let current: { matches: (atr: Uint8Array) => boolean; source: string; names: string[] } | undefined;
  const flush = () => {
    if (current && current.names.length > 0) {
      const { matches, source, names } = current;
      cards.push({ names, source, matches });
    }
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    if (line.startsWith('\t')) {
      current?.names.push(line.trim());
      continue;
    }
    flush();
    if (line.trim() === '') continue;
    const source = line.trim();
    const nibbles = byteNibbles(source);
    try {
      current = { matches: nibbles ? nibbleMatcher(nibbles) : regexMatcher(source), source, names: [] };
    } catch {
      current = undefined;
    }
  }
  flush();
  return cards;
}

/**
 * Nearly every entry of the list (all but about 20 of 4,000) is plain spaced hex with `.`
 * wildcards. Those are compared nibble by nibble — the same answer as the anchored,
 * case-insensitive regular expression, without compiling 4,000 of them at each start of
 * `cardfleet-agent atr` (docs/atr.md).
 */
// Stryker disable next-line BlockStatement: without the fast path every entry takes the regular expression, which gives the same answer
function byteNibbles(source: string): number[] | undefined {
  // Stryker disable next-line ConditionalExpression: as above, the regular expression gives the same answer
  if (!/^[0-9A-Fa-f.]{2}( [0-9A-Fa-f.]{2})*$/.test(source)) return undefined;
  return source
    .replaceAll(' ', '')
    .split('')
    .map((c) => (c === '.' ? -1 : Number.parseInt(c, 16)));
}

function nibbleMatcher(nibbles: number[]): (atr: Uint8Array) => boolean {
  return (atr) => {
    if (atr.length * 2 !== nibbles.length) return false;
    // Stryker disable next-line EqualityOperator: one step past the end reads no nibble (-1, any), so it changes nothing
    for (let i = 0; i < nibbles.length; i++) {
      // Stryker disable next-line UnaryOperator: inside the loop nibbles[i] always exists
      const want = nibbles[i] ?? -1;
      const have = i % 2 === 0 ? (atr[i >> 1] ?? 0) >> 4 : (atr[i >> 1] ?? 0) & 0x0f;
      if (want !== -1 && want !== have) return false;
    }
    return true;
  };
}

function regexMatcher(source: string): (atr: Uint8Array) => boolean {
  const regex = new RegExp(`^${source}$`, 'i');
  return (atr) => regex.test(spacedHex(atr));
}

export function spacedHex(atr: Uint8Array): string {
  return (toHex(atr).match(/../g) ?? []).join(' ');
}

/** Names of every known card matching the ATR, without duplicates, list order kept. */
export function matchCardNames(atr: Uint8Array, lists: readonly (readonly KnownCard[])[]): string[] {
  const names: string[] = [];
  for (const list of lists) {
    for (const card of list) {
      if (!card.matches(atr)) continue;
      for (const name of card.names) if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}
