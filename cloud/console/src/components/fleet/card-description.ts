// The ATR modules themselves, not the shared package's index: that also holds Node-only code.
import { describeAtr } from '../../../../../shared/src/atr/atr-describe';
import { GEMALTO_MIDDLEWARE_ATRS, matchCardNames } from '../../../../../shared/src/atr/atr-match';
import { parseAtr } from '../../../../../shared/src/atr/atr-parser';
import { parseHexLenient } from '../../../../../shared/src/bytes/hex';

/**
 * A reader's card as the fleet page names it. The agent names the card from its own lists
 * (pcsc-tools' smartcard_list.txt and the middleware's, docs/atr.md); when it found no name,
 * this browser tries the middleware's ATR patterns itself. The ATR analysis (ISO/IEC 7816-3
 * §8.2, as pcsc-tools' ATR_analysis lays it out) is computed here from the ATR alone, by the
 * same shared parser the agent's `cardfleet-agent atr` uses.
 */
export interface CardDescription {
  names: string[];
  /** Where the names come from: the agent's presence, this browser's match, or nowhere. */
  namedBy: 'agent' | 'browser' | 'none';
  analysis: string | undefined;
}

export function describeCard(atrHex: string | null, agentNames: readonly string[]): CardDescription {
  const parsed = atrHex ? parseHexLenient(atrHex) : undefined;
  const atr = parsed instanceof Uint8Array ? parsed : undefined;
  const browserNames = atr && agentNames.length === 0 ? matchCardNames(atr, [GEMALTO_MIDDLEWARE_ATRS]) : [];
  const names = agentNames.length > 0 ? [...agentNames] : browserNames;
  return {
    names,
    namedBy: agentNames.length > 0 ? 'agent' : browserNames.length > 0 ? 'browser' : 'none',
    analysis: atr ? analyse(atr, names) : undefined,
  };
}

function analyse(atr: Uint8Array, names: readonly string[]): string | undefined {
  try {
    return describeAtr(parseAtr(atr), names);
  } catch {
    // Not an ATR at all (too short or long, a TS other than 3B/3F): nothing to analyse.
    return undefined;
  }
}
