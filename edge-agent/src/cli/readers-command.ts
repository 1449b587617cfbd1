import { GEMALTO_MIDDLEWARE_ATRS, matchCardNames, toHex } from '@cardfleet/shared';
import { loadSystemSmartcardList } from '@cardfleet/shared/node';
import type { ReaderPort } from '../readers/reader-port';
import { type CliIo, EXIT_OK } from './cli-io';

/** `readers [--json]`: every reader, whether a card is in it, its ATR and card names. */
export async function readersCommand(port: ReaderPort, json: boolean, io: CliIo): Promise<number> {
  const lists = [GEMALTO_MIDDLEWARE_ATRS, loadSystemSmartcardList()];
  const readers = (await port.readers()).map((r) => ({
    name: r.name,
    cardPresent: r.cardPresent,
    atr: r.atr ? toHex(r.atr) : null,
    cardNames: r.atr ? matchCardNames(r.atr, lists) : [],
  }));
  if (json) {
    io.stdout(`${JSON.stringify(readers, null, 2)}\n`);
  } else if (readers.length === 0) {
    io.stdout('no readers\n');
  } else {
    for (const r of readers) {
      io.stdout(
        `${r.name}: ${r.cardPresent ? `card ${r.atr}${r.cardNames.length > 0 ? ` — ${r.cardNames.join('; ')}` : ''}` : 'no card'}\n`,
      );
    }
  }
  return EXIT_OK;
}
