import { describeStatusWord } from '../status-words/status-words';
import { COMPACT_TLV_TAGS } from './atr-tables';

/**
 * The historical bytes, ISO/IEC 7816-4:2013 §8.1.1: a category indicator, then (for 00
 * and 80) compact-TLV data objects, and for 00 a mandatory status indicator in the last
 * three bytes. The decoding of the card service data byte, the card capabilities and the
 * life cycle status follows the PC/SC notes' example output (pcsc-tools' ATR_analysis).
 */
export interface CompactTlv {
  tag: number;
  name: string;
  value: Uint8Array;
  /** What the value says, one line per fact (empty when the tag carries opaque data). */
  decoded: string[];
}

export interface HistoricalBytes {
  bytes: Uint8Array;
  categoryIndicator: number | undefined;
  /** e.g. "compact TLV data object", "proprietary format". */
  category: string | undefined;
  tlv: CompactTlv[];
  /** LCS and SW1-SW2 of a category-00 status indicator (the last three bytes). */
  status: { lcs: number; sw: number; decoded: string[] } | undefined;
  /** Category 10: the DIR data reference. */
  dirReference: number | undefined;
}

export function parseHistorical(bytes: Uint8Array): HistoricalBytes {
  const category = bytes[0];
  const result: HistoricalBytes = {
    bytes,
    categoryIndicator: category,
    category: category === undefined ? undefined : categoryName(category),
    tlv: [],
    status: undefined,
    dirReference: undefined,
  };
  if (category === 0x10) return { ...result, dirReference: bytes[1] };
  if (category !== 0x00 && category !== 0x80) return result;
  // §8.1.1.3: category 00 ends with the status indicator (LCS, SW1, SW2).
  const end = category === 0x00 ? bytes.length - 3 : bytes.length;
  if (end < 1) return result;
  const tlv: CompactTlv[] = [];
  let i = 1;
  while (i < end) {
    const head = bytes[i] ?? 0;
    const tag = head >> 4;
    const value = bytes.slice(i + 1, Math.min(end, i + 1 + (head & 0x0f)));
    tlv.push({ tag, name: COMPACT_TLV_TAGS[tag] ?? 'unknown', value, decoded: decodeTlv(tag, value) });
    i += 1 + (head & 0x0f);
  }
  if (category !== 0x00) return { ...result, tlv };
  const lcs = bytes[end] ?? 0;
  const sw = ((bytes[end + 1] ?? 0) << 8) | (bytes[end + 2] ?? 0);
  return {
    ...result,
    tlv,
    status: {
      lcs,
      sw,
      decoded: [`LCS (life cycle status): ${lifeCycle(lcs)}`, `SW: ${describeStatusWord(sw).meaning}`],
    },
  };
}

function categoryName(category: number): string {
  if (category === 0x00 || category === 0x80) return 'compact TLV data object';
  if (category === 0x10) return 'next byte is the DIR data reference';
  if (category > 0x80 && category <= 0x8f) return 'reserved for future use';
  return 'proprietary format';
}

const bits = (value: number, table: readonly (readonly [number, string])[]) =>
  table.filter(([bit]) => value & bit).map(([, text]) => text);

function decodeTlv(tag: number, value: Uint8Array): string[] {
  const [a, b, c] = value;
  if (tag === 3 && a !== undefined) return cardServiceData(a);
  if (tag === 7) {
    const lines: string[] = [];
    if (a !== undefined) lines.push(...selectionMethods(a));
    if (b !== undefined) lines.push(...dataCoding(b));
    if (c !== undefined) lines.push(...chainingAndChannels(c));
    return lines;
  }
  if (tag === 8 && value.length === 1 && a !== undefined) return [`LCS (life cycle status): ${lifeCycle(a)}`];
  if (tag === 8 && value.length >= 2) {
    const sw = value.length === 3 ? ((b ?? 0) << 8) | (c ?? 0) : ((a ?? 0) << 8) | (b ?? 0);
    const lcs = value.length === 3 && a !== undefined ? [`LCS (life cycle status): ${lifeCycle(a)}`] : [];
    return [...lcs, `SW: ${describeStatusWord(sw).meaning}`];
  }
  return [];
}

/** §8.1.1.2.3, card service data byte. */
function cardServiceData(v: number): string[] {
  const access = { 4: 'by READ BINARY command', 0: 'by GET RECORD(s) command', 2: 'by GET DATA command' }[
    (v >> 1) & 0x07
  ];
  return [
    ...bits(v, [
      [0x80, 'Application selection: by full DF name'],
      [0x40, 'Application selection: by partial DF name'],
      [0x20, 'BER-TLV data objects available in EF.DIR'],
      [0x10, 'BER-TLV data objects available in EF.ATR'],
    ]),
    `EF.DIR and EF.ATR access services: ${access ?? 'reserved for future use'}`,
    v & 0x01 ? 'Card without MF' : 'Card with MF',
  ];
}

/** §8.1.1.2.7, first software function table: selection methods. */
function selectionMethods(v: number): string[] {
  return bits(v, [
    [0x80, 'DF selection by full DF name'],
    [0x40, 'DF selection by partial DF name'],
    [0x20, 'DF selection by path'],
    [0x10, 'DF selection by file identifier'],
    [0x08, 'Implicit DF selection'],
    [0x04, 'Short EF identifier supported'],
    [0x02, 'Record number supported'],
    [0x01, 'Record identifier supported'],
  ]);
}

/** §8.1.1.2.7, second software function table: the data coding byte. */
function dataCoding(v: number): string[] {
  return [
    ...bits(v, [[0x80, 'EF of TLV structure supported']]),
    `Behaviour of write functions: ${['one-time write', 'proprietary', 'write OR', 'write AND'][(v >> 5) & 0x03]}`,
    `Value 'FF' for the first byte of BER-TLV tag fields: ${v & 0x10 ? 'valid' : 'invalid'}`,
    `Data unit in quartets: ${2 ** (v & 0x0f)}`,
  ];
}

/** §8.1.1.2.7, third software function table: command chaining, lengths, channels. */
function chainingAndChannels(v: number): string[] {
  const assignment = [
    'No logical channel',
    'by the interface device',
    'by the card',
    'by the interface device and card',
  ][(v >> 3) & 0x03];
  return [
    ...bits(v, [
      [0x80, 'Command chaining'],
      [0x40, 'Extended Lc and Le fields'],
    ]),
    `Logical channel number assignment: ${assignment}`,
    `Maximum number of logical channels: ${(v & 0x07) + 1}`,
  ];
}

/** §7.4.10, life cycle status byte (LCS). */
function lifeCycle(lcs: number): string {
  if (lcs > 15) return 'proprietary';
  if (lcs === 0) return 'no information given';
  if (lcs === 1) return 'creation state';
  if (lcs === 3) return 'initialisation state';
  if (lcs === 4 || lcs === 6) return 'operational state (deactivated)';
  if (lcs === 5 || lcs === 7) return 'operational state (activated)';
  if (lcs >= 12) return 'termination state';
  return 'unknown';
}
