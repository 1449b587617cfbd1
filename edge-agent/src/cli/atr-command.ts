import {
  describeAtr,
  GEMALTO_MIDDLEWARE_ATRS,
  matchCardNames,
  type ParsedAtr,
  parseAtr,
  parseHex,
  toHex,
} from '@cardfleet/shared';
import { loadSystemSmartcardList } from '@cardfleet/shared/node';
import { type CliIo, EXIT_OK } from './cli-io';

/**
 * `atr <hex> [--json]`: the parsed ATR and the matching card names. An irregular ATR
 * (truncated, extra bytes, TCK missing or unexpected) is still analysed and named, with
 * a WARNING per irregularity, as pcsc-tools' ATR_analysis does (docs/atr.md).
 */
export function atrCommand(hex: string, json: boolean, io: CliIo): number {
  const atr = parseAtr(parseHex(hex, 'ATR'));
  const names = matchCardNames(atr.bytes, [GEMALTO_MIDDLEWARE_ATRS, loadSystemSmartcardList()]);
  if (!json) {
    io.stdout(`${describeAtr(atr, names)}\n`);
    for (const warning of atr.warnings) io.stderr(`warning: ${warning.message} [${warning.code}]\n`);
    return EXIT_OK;
  }
  io.stdout(`${JSON.stringify(atrJson(atr, names), null, 2)}\n`);
  return EXIT_OK;
}

/** The `--json` form: every byte, value or sequence, is upper-case hex. */
export function atrJson(atr: ParsedAtr, names: string[]) {
  const hex = (b: Uint8Array) => toHex(b);
  const byte = (n: number) => toHex(Uint8Array.of(n));
  const status = atr.historical.status;
  return {
    atr: hex(atr.bytes),
    valid: atr.warnings.length === 0 && atr.tck.valid !== false,
    warnings: atr.warnings.map((w) => ({ code: w.code, message: w.message })),
    convention: atr.convention,
    protocols: atr.protocols,
    fi: atr.fi ?? null,
    di: atr.di ?? null,
    fMaxMHz: atr.fMaxMHz ?? null,
    interfaceBytes: atr.interfaceBytes.map((b) => ({ ...b, value: byte(b.value) })),
    historical: {
      bytes: hex(atr.historical.bytes),
      categoryIndicator:
        atr.historical.categoryIndicator === undefined ? null : byte(atr.historical.categoryIndicator),
      category: atr.historical.category ?? null,
      tlv: atr.historical.tlv.map((t) => ({
        tag: t.tag,
        name: t.name,
        value: hex(t.value),
        decoded: t.decoded,
      })),
      status: status
        ? {
            lcs: byte(status.lcs),
            sw: hex(Uint8Array.of(status.sw >> 8, status.sw & 0xff)),
            decoded: status.decoded,
          }
        : null,
      dirReference: atr.historical.dirReference === undefined ? null : byte(atr.historical.dirReference),
    },
    extraBytes: hex(atr.extraBytes),
    tck: {
      present: atr.tck.present,
      value: atr.tck.value === undefined ? null : byte(atr.tck.value),
      valid: atr.tck.valid ?? null,
    },
    cardNames: names,
  };
}
