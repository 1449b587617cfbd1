import { toHex } from '../bytes/hex';
import { spacedHex } from './atr-match';
import type { ParsedAtr } from './atr-parser';

/** Human-readable ATR analysis, laid out like the PC/SC seed's example. */
export function describeAtr(atr: ParsedAtr, cardNames: readonly string[]): string {
  const hex = (n: number) => `0x${toHex(Uint8Array.of(n))}`;
  const lines = [
    `ATR: ${spacedHex(atr.bytes)}`,
    `TS = ${hex(atr.bytes[0] ?? 0)}  ${atr.convention === 'direct' ? 'Direct' : 'Inverse'} Convention`,
  ];
  const t0 = atr.bytes[1] ?? 0;
  lines.push(
    `T0 = ${hex(t0)}  Y(1): b${(t0 >> 4).toString(2).padStart(4, '0')}, K: ${atr.historicalLength} (historical bytes)`,
  );
  for (const b of atr.interfaceBytes)
    lines.push(`${b.name.replace(/(\d+)$/, '($1)')} = ${hex(b.value)}  ${b.meaning}`);
  if (atr.historical.bytes.length > 0) {
    lines.push(`Historical bytes: ${spacedHex(atr.historical.bytes)}`);
    const category = atr.historical.categoryIndicator;
    if (category !== undefined) {
      const kind =
        category === 0x00 || category === 0x80
          ? ' (compact TLV data object)'
          : category === 0x10
            ? ' (DIR data reference)'
            : ' (proprietary)';
      lines.push(`  Category indicator byte: ${hex(category)}${kind}`);
    }
    for (const tlv of atr.historical.tlv) {
      lines.push(
        `    Tag: ${tlv.tag.toString(16).toUpperCase()}, Len: ${tlv.value.length} (${tlv.name}): ${spacedHex(tlv.value)}`,
      );
    }
    if (atr.historical.status) {
      lines.push(
        `    Mandatory status indicator: LCS ${atr.historical.status.lcs}, SW ${atr.historical.status.sw.toString(16).toUpperCase().padStart(4, '0')}`,
      );
    }
  }
  if (atr.tck.present)
    lines.push(`TCK = ${hex(atr.tck.value ?? 0)} (${atr.tck.valid ? 'correct checksum' : 'WRONG checksum'})`);
  lines.push(`Protocols: ${atr.protocols.map((p) => `T=${p}`).join(', ')}`);
  lines.push(
    cardNames.length > 0
      ? `Possibly identified card: ${cardNames.join('; ')}`
      : 'Card not in the known lists',
  );
  return lines.join('\n');
}
