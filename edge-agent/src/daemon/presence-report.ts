import { GEMALTO_MIDDLEWARE_ATRS, matchCardNames, type Presence, toHex } from '@cardfleet/shared';
import { loadSystemSmartcardList } from '@cardfleet/shared/node';
import type { ReaderState } from '../readers/reader-port';

/**
 * The agent's retained presence: online with its reader inventory — reader, card
 * present, ATR and the card names the ATR matches (Gemalto middleware list, then
 * pcsc-tools' smartcard_list.txt) — so operators see what each office has; offline
 * with no readers (also the last will). `agent` — its version and when the daemon
 * started — goes with every announcement (docs/messaging.md, "Agent → cloud").
 */
export function presenceOf(
  status: Presence['status'],
  readers: readonly ReaderState[],
  at: string,
  agent?: { version: string; startedAt: string; dryRunCard?: boolean },
): Presence {
  const lists = [GEMALTO_MIDDLEWARE_ATRS, loadSystemSmartcardList()];
  return {
    status,
    at,
    ...(agent ? { agentVersion: agent.version, startedAt: agent.startedAt } : {}),
    // The cloud sends dry runs only to an agent that announces its dry-run card (docs/security.md).
    ...(agent?.dryRunCard ? { dryRunCard: true as const } : {}),
    readers:
      status === 'online'
        ? readers.map((r) => ({
            name: r.name,
            cardPresent: r.cardPresent,
            atr: r.atr ? toHex(r.atr) : null,
            cardNames: r.atr ? matchCardNames(r.atr, lists) : [],
          }))
        : [],
  };
}
