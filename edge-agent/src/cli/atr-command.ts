import {
  describeAtr,
  GEMALTO_MIDDLEWARE_ATRS,
  matchCardNames,
  parseAtr,
  parseHex,
  toHex,
} from '@cardfleet/shared';
import { loadSystemSmartcardList } from '@cardfleet/shared/node';
import { type CliIo, EXIT_OK } from './cli-io';

/** `atr <hex> [--json]`: the parsed ATR and the matching card names. */
export function atrCommand(hex: string, json: boolean, io: CliIo): number {
  const atr = parseAtr(parseHex(hex, 'ATR'));
  const names = matchCardNames(atr.bytes, [GEMALTO_MIDDLEWARE_ATRS, loadSystemSmartcardList()]);
  if (!json) {
    io.stdout(`${describeAtr(atr, names)}\n`);
    return EXIT_OK;
  }
  const bytes = (b: Uint8Array) => toHex(b);
  io.stdout(
    `${JSON.stringify(
      {
        atr: bytes(atr.bytes),
        convention: atr.convention,
        protocols: atr.protocols,
        fi: atr.fi ?? null,
        di: atr.di ?? null,
        fMaxMHz: atr.fMaxMHz ?? null,
        interfaceBytes: atr.interfaceBytes.map((b) => ({ ...b, value: bytes(Uint8Array.of(b.value)) })),
        historical: {
          bytes: bytes(atr.historical.bytes),
          categoryIndicator: atr.historical.categoryIndicator ?? null,
          tlv: atr.historical.tlv.map((t) => ({ tag: t.tag, name: t.name, value: bytes(t.value) })),
          status: atr.historical.status ?? null,
        },
        tck: atr.tck,
        cardNames: names,
      },
      null,
      2,
    )}\n`,
  );
  return EXIT_OK;
}
