import type { Application } from '@cardfleet/shared';
import { type ModuleMapping, resolveModulePath } from '../tokens/module-mapping';
import { openTokenModule } from '../tokens/pkcs11js-module';
import { type SlotFinder, type SlotLocation, slotByReaderName } from '../tokens/reader-slots';
import type { TokenModule } from '../tokens/token-port';
import { slotLocationOf } from './application-settings';

/**
 * How a token application (PKCS#11, License) reaches the token of the job's card: the
 * application's module through the agent's module mapping, then the slot of the card's
 * reader, main or signature (docs/edge-agent.md, "PKCS#11 applications").
 */
export interface CardTokenOptions {
  modules: ModuleMapping;
  /** The token slot of a reader's card: main or signature slot. */
  slotFor?: SlotFinder;
  openModule?: (path: string) => TokenModule;
}

export interface CardToken {
  module: TokenModule;
  slot: string;
  location: SlotLocation;
}

/** Opens an application's module and finds the slot of the card in `reader`. */
export function cardTokenOpener(options: CardTokenOptions): (app: Application, reader: string) => CardToken {
  const open = options.openModule ?? openTokenModule;
  const slotFor = options.slotFor ?? slotByReaderName;
  return (app, reader) => {
    const module = open(resolveModulePath(app, options.modules));
    const location = slotLocationOf(app);
    return { module, location, slot: slotFor(module, reader, location) };
  };
}
