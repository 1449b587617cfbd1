import { toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { type HistoricalBytes, parseHistorical } from './atr-historical';
import { interfaceByteMeaning, ta1Factors } from './atr-interface-bytes';

export type { CompactTlv, HistoricalBytes } from './atr-historical';

/**
 * Answer-to-Reset parser, ISO/IEC 7816-3:2006 §8.2: TS, T0, the TA/TB/TC/TD chains,
 * the historical bytes (ISO/IEC 7816-4 §8.1.1, including compact-TLV) and TCK.
 *
 * Real cards send irregular ATRs and pcsc-lite accepts them, so the parser reads them the
 * way pcsc-tools' ATR_analysis does (the PC/SC notes) and reports each irregularity as a
 * warning (a CardfleetError that is returned, not thrown): the ATR still gets parsed and
 * named. Only input that is not an ATR at all is refused: fewer than two bytes, more than
 * 33 (§8.2.1 caps the ATR at 32 bytes after TS), or a TS other than 3B/3F. A wrong TCK is
 * data (`tck.valid = false`), since cards with it still work.
 */
export interface InterfaceByte {
  /** e.g. "TA1". */
  name: string;
  value: number;
  meaning: string;
}

export interface ParsedAtr {
  bytes: Uint8Array;
  convention: 'direct' | 'inverse';
  /** K, the number of historical bytes T0 announces. */
  historicalLength: number;
  interfaceBytes: InterfaceByte[];
  protocols: number[];
  fi: number | undefined;
  di: number | undefined;
  fMaxMHz: number | undefined;
  historical: HistoricalBytes;
  tck: { present: boolean; value: number | undefined; valid: boolean | undefined };
  /** Bytes after the historical bytes that are not the TCK (ignored). */
  extraBytes: Uint8Array;
  /** Irregularities: ATR_TRUNCATED, ATR_TRAILING_BYTES, ATR_TCK_MISSING, ATR_TCK_UNEXPECTED. */
  warnings: CardfleetError[];
}

export function parseAtr(bytes: Uint8Array): ParsedAtr {
  if (bytes.length < 2) throw new CardfleetError('ATR_TRUNCATED', 'an ATR has at least TS and T0');
  if (bytes.length > 33)
    throw new CardfleetError('ATR_TOO_LONG', `an ATR has at most 33 bytes, got ${bytes.length}`);
  const ts = bytes[0];
  if (ts !== 0x3b && ts !== 0x3f) {
    throw new CardfleetError(
      'ATR_BAD_TS',
      `TS must be 3B (direct) or 3F (inverse convention), got ${toHex(bytes.subarray(0, 1))}`,
    );
  }
  const t0 = bytes[1] ?? 0;
  const historicalLength = t0 & 0x0f;
  const warnings: CardfleetError[] = [];
  const interfaceBytes: InterfaceByte[] = [];
  const protocols: number[] = [];
  let y = t0 >> 4;
  let offset = 2;
  let index = 1;
  let protocol = 0;
  let truncated = false;
  const take = (name: string): number | undefined => {
    const value = bytes[offset];
    if (value === undefined) {
      truncated = true;
      warnings.push(new CardfleetError('ATR_TRUNCATED', `the ATR ends where ${name} is announced`));
    } else offset++;
    return value;
  };
  chain: for (;;) {
    for (const [bit, kind] of [
      [0x1, 'A'],
      [0x2, 'B'],
      [0x4, 'C'],
    ] as const) {
      if (!(y & bit)) continue;
      const name = `T${kind}${index}`;
      const value = take(name);
      if (value === undefined) break chain;
      interfaceBytes.push({ name, value, meaning: interfaceByteMeaning(kind, index, protocol, value) });
    }
    if (!(y & 0x8)) break;
    const td = take(`TD${index}`);
    if (td === undefined) break;
    protocol = td & 0x0f;
    if (!protocols.includes(protocol)) protocols.push(protocol);
    y = td >> 4;
    const global = protocol === 15 ? ' - Global interface bytes following' : '';
    interfaceBytes.push({
      name: `TD${index}`,
      value: td,
      meaning: `Y(i+1) = b${(td >> 4).toString(2).padStart(4, '0')}, Protocol T=${protocol}${global}`,
    });
    index++;
  }
  if (protocols.length === 0) protocols.push(0); // §8.2.3: absent TD1 means T=0 only
  // §8.2.5: TCK is present unless only T=0 is indicated. T=15 is not a transmission
  // protocol, but its presence still calls for TCK.
  const tckRequired = protocols.some((p) => p !== 0);
  const rest = truncated ? new Uint8Array(0) : bytes.subarray(offset);
  let tck: ParsedAtr['tck'] = { present: false, value: undefined, valid: undefined };
  let historicalBytes = rest;
  let extraBytes = new Uint8Array(0);
  if (rest.length === historicalLength + 1) {
    // Exactly one byte beyond the historical bytes: the TCK (ATR_analysis reads it so even
    // when only T=0 is indicated).
    const value = rest[historicalLength] ?? 0;
    let xor = 0;
    for (const b of bytes.subarray(1)) xor ^= b;
    tck = { present: true, value, valid: xor === 0 };
    historicalBytes = rest.subarray(0, historicalLength);
    if (!tckRequired)
      warnings.push(
        new CardfleetError(
          'ATR_TCK_UNEXPECTED',
          `one byte (${toHex(Uint8Array.of(value))}) follows the historical bytes of a T=0-only ATR; read as TCK`,
        ),
      );
  } else if (rest.length > historicalLength + 1) {
    historicalBytes = rest.subarray(0, historicalLength);
    extraBytes = rest.slice(historicalLength);
    warnings.push(
      new CardfleetError(
        'ATR_TRAILING_BYTES',
        `${extraBytes.length} byte(s) after the ${historicalLength} historical byte(s); ignored`,
      ),
    );
  } else if (!truncated && rest.length < historicalLength) {
    warnings.push(
      new CardfleetError(
        'ATR_TRUNCATED',
        `T0 announces ${historicalLength} historical bytes, only ${rest.length} follow`,
      ),
    );
  }
  if (tckRequired && !tck.present && !truncated && rest.length <= historicalLength)
    warnings.push(
      new CardfleetError(
        'ATR_TCK_MISSING',
        'TCK is required (a protocol other than T=0 is indicated) but missing',
      ),
    );
  const ta1 = interfaceBytes.find((b) => b.name === 'TA1');
  const { fi, di, fMaxMHz } = ta1 ? ta1Factors(ta1.value) : {};
  return {
    bytes,
    convention: ts === 0x3b ? 'direct' : 'inverse',
    historicalLength,
    interfaceBytes,
    protocols,
    fi,
    di,
    fMaxMHz,
    historical: parseHistorical(historicalBytes.slice()),
    tck,
    extraBytes,
    warnings,
  };
}
