import { toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { COMPACT_TLV_TAGS, DI_TABLE, FI_TABLE } from './atr-tables';

/**
 * Answer-to-Reset parser, ISO/IEC 7816-3:2006 §8.2: TS, T0, the TA/TB/TC/TD chains,
 * the historical bytes (ISO/IEC 7816-4 §8.1.1, including compact-TLV) and TCK.
 * Throws CardfleetError (ATR_*) on structurally broken input; a wrong TCK is
 * reported as data (`tck.valid = false`), since cards with it still work.
 */
export interface InterfaceByte {
  /** e.g. "TA1". */
  name: string;
  value: number;
  meaning: string;
}

export interface CompactTlv {
  tag: number;
  name: string;
  value: Uint8Array;
}

export interface ParsedAtr {
  bytes: Uint8Array;
  convention: 'direct' | 'inverse';
  historicalLength: number;
  interfaceBytes: InterfaceByte[];
  protocols: number[];
  fi: number | undefined;
  di: number | undefined;
  fMaxMHz: number | undefined;
  historical: {
    bytes: Uint8Array;
    categoryIndicator: number | undefined;
    tlv: CompactTlv[];
    /** LCS and SW1-SW2 of a category-00 status indicator (the last three bytes). */
    status: { lcs: number; sw: number } | undefined;
  };
  tck: { present: boolean; value: number | undefined; valid: boolean | undefined };
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
  const interfaceBytes: InterfaceByte[] = [];
  const protocols: number[] = [];
  let y = t0 >> 4;
  let offset = 2;
  let index = 1;
  let currentProtocol = 0;
  let fi: number | undefined;
  let di: number | undefined;
  let fMaxMHz: number | undefined;
  const take = (name: string): number => {
    const value = bytes[offset];
    if (value === undefined)
      throw new CardfleetError('ATR_TRUNCATED', `the ATR ends where ${name} is announced`);
    offset++;
    return value;
  };
  for (;;) {
    if (y & 0x1) {
      const value = take(`TA${index}`);
      let meaning: string;
      if (index === 1) {
        const f = FI_TABLE[value >> 4];
        fi = f?.[0];
        fMaxMHz = f?.[1];
        di = DI_TABLE[value & 0x0f];
        meaning =
          fi && di
            ? `Fi=${fi}, Di=${di}, ${Math.floor(fi / di)} cycles/ETU (${Math.floor((4e6 * di) / fi)} bits/s at 4.00 MHz, ${Math.floor(((fMaxMHz ?? 0) * 1e6 * di) / fi)} bits/s for fMax=${fMaxMHz} MHz)`
            : 'Fi/Di RFU';
      } else if (index === 2) {
        meaning = `specific mode: protocol T=${value & 0x0f}${value & 0x80 ? ', unable to change' : ', able to change'}`;
      } else meaning = currentProtocol === 1 ? `IFSC: ${value}` : `protocol T=${currentProtocol} parameter`;
      interfaceBytes.push({ name: `TA${index}`, value, meaning });
    }
    if (y & 0x2) {
      const value = take(`TB${index}`);
      let meaning: string;
      if (index === 1)
        meaning = value === 0 ? 'VPP is not electrically connected' : `VPP (deprecated): ${value}`;
      else if (currentProtocol === 1 && index > 2)
        meaning = `Block Waiting Integer: ${value >> 4} - Character Waiting Integer: ${value & 0x0f}`;
      else meaning = `protocol T=${currentProtocol} parameter`;
      interfaceBytes.push({ name: `TB${index}`, value, meaning });
    }
    if (y & 0x4) {
      const value = take(`TC${index}`);
      let meaning: string;
      if (index === 1)
        meaning = value === 0xff ? 'Extra guard time: 255 (special value)' : `Extra guard time: ${value}`;
      else if (index === 2) meaning = `Work waiting time: 960 x ${value} x (Fi/F)`;
      else if (currentProtocol === 1) meaning = `Error detection code: ${value & 1 ? 'CRC' : 'LRC'}`;
      else meaning = `protocol T=${currentProtocol} parameter`;
      interfaceBytes.push({ name: `TC${index}`, value, meaning });
    }
    if (!(y & 0x8)) break;
    const td = take(`TD${index}`);
    currentProtocol = td & 0x0f;
    if (!protocols.includes(currentProtocol)) protocols.push(currentProtocol);
    y = td >> 4;
    interfaceBytes.push({
      name: `TD${index}`,
      value: td,
      meaning: `Y(i+1) = b${(td >> 4).toString(2).padStart(4, '0')}, Protocol T=${currentProtocol}`,
    });
    index++;
  }
  if (protocols.length === 0) protocols.push(0); // §8.2.3: absent TD1 means T=0 only
  const histStart = offset;
  if (bytes.length < histStart + historicalLength) {
    throw new CardfleetError(
      'ATR_TRUNCATED',
      `T0 announces ${historicalLength} historical bytes, only ${bytes.length - histStart} follow`,
    );
  }
  const historicalBytes = bytes.slice(histStart, histStart + historicalLength);
  offset = histStart + historicalLength;
  // §8.2.5: TCK is present unless only T=0 is indicated.
  const tckPresent = protocols.some((p) => p !== 0);
  let tck: ParsedAtr['tck'] = { present: false, value: undefined, valid: undefined };
  if (tckPresent) {
    const value = bytes[offset];
    if (value === undefined)
      throw new CardfleetError(
        'ATR_TRUNCATED',
        'TCK is required (a protocol other than T=0 is indicated) but missing',
      );
    let xor = 0;
    for (let i = 1; i <= offset; i++) xor ^= bytes[i] ?? 0;
    tck = { present: true, value, valid: xor === 0 };
    offset++;
  }
  if (offset !== bytes.length) {
    throw new CardfleetError(
      'ATR_TRAILING_BYTES',
      `${bytes.length - offset} byte(s) after the end of the ATR`,
    );
  }
  return {
    bytes,
    convention: ts === 0x3b ? 'direct' : 'inverse',
    historicalLength,
    interfaceBytes,
    protocols,
    fi,
    di,
    fMaxMHz,
    historical: parseHistorical(historicalBytes),
    tck,
  };
}

function parseHistorical(bytes: Uint8Array): ParsedAtr['historical'] {
  const category = bytes[0];
  const empty = { bytes, categoryIndicator: category, tlv: [], status: undefined };
  if (category !== 0x00 && category !== 0x80) return empty;
  // Category 00: compact-TLV objects then a 3-byte status indicator (LCS, SW1, SW2).
  const end = category === 0x00 ? bytes.length - 3 : bytes.length;
  if (end < 1) return empty;
  const tlv: CompactTlv[] = [];
  let i = 1;
  while (i < end) {
    const head = bytes[i] ?? 0;
    const tag = head >> 4;
    const length = head & 0x0f;
    if (i + 1 + length > end) return { ...empty, tlv };
    tlv.push({
      tag,
      name: COMPACT_TLV_TAGS[tag] ?? 'proprietary',
      value: bytes.slice(i + 1, i + 1 + length),
    });
    i += 1 + length;
  }
  const status =
    category === 0x00
      ? { lcs: bytes[end] ?? 0, sw: ((bytes[end + 1] ?? 0) << 8) | (bytes[end + 2] ?? 0) }
      : undefined;
  return { bytes, categoryIndicator: category, tlv, status };
}
