import { CardfleetError } from '@cardfleet/shared';
import type { TokenModule } from './token-port';

/** Where on the card a PKCS#11 application works: the main token or the signature one. */
export type SlotLocation = 'main' | 'signature';

/** Finds the token slot of a reader's card. */
export type SlotFinder = (module: TokenModule, reader: string, location: SlotLocation) => string;

/**
 * Vendor middlewares name a slot after its reader; the signature slot
 * "<reader> - Signature" (docs/edge-agent.md, "PKCS#11 applications").
 */
export const slotByReaderName: SlotFinder = (module, reader, location) => {
  const wanted = location === 'main' ? reader : `${reader} - Signature`;
  const slot = module.slots(true).find((s) => s.description === wanted);
  if (!slot)
    throw new CardfleetError(
      'SLOT_NOT_FOUND',
      `no ${location} slot for reader "${reader}" in ${module.path}`,
    );
  return slot.id;
};
