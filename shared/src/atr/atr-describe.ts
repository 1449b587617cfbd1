import { toHex } from '../bytes/hex';
import { spacedHex } from './atr-match';
import type { ParsedAtr } from './atr-parser';

/** Human-readable ATR analysis, laid out like the PC/SC notes' example (ATR_analysis). */
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
  const historical = atr.historical;
  if (historical.bytes.length > 0) {
    lines.push(`Historical bytes: ${spacedHex(historical.bytes)}`);
    // Stryker disable next-line ConditionalExpression: historical bytes are there, so their first byte, the category, is too
    if (historical.categoryIndicator !== undefined)
      lines.push(`  Category indicator byte: ${hex(historical.categoryIndicator)} (${historical.category})`);
    if (historical.dirReference !== undefined)
      lines.push(`    DIR data reference: ${hex(historical.dirReference)}`);
    for (const tlv of historical.tlv) {
      lines.push(
        `    Tag: ${tlv.tag.toString(16).toUpperCase()}, Len: ${tlv.value.length} (${tlv.name}): ${spacedHex(tlv.value)}`,
      );
      for (const fact of tlv.decoded) lines.push(`      - ${fact}`);
    }
    if (historical.status) {
      lines.push(
        `    Mandatory status indicator: LCS ${historical.status.lcs}, SW ${historical.status.sw.toString(16).toUpperCase().padStart(4, '0')}`,
      );
      for (const fact of historical.status.decoded) lines.push(`      - ${fact}`);
    }
  }
  if (atr.extraBytes.length > 0) lines.push(`Extra bytes (ignored): ${spacedHex(atr.extraBytes)}`);
  if (atr.tck.present)
    lines.push(`TCK = ${hex(atr.tck.value ?? 0)} (${atr.tck.valid ? 'correct checksum' : 'WRONG checksum'})`);
  lines.push(`Protocols: ${atr.protocols.map((p) => `T=${p}`).join(', ')}`);
  for (const warning of atr.warnings) lines.push(`WARNING: ${warning.message} [${warning.code}]`);
  lines.push(
    cardNames.length > 0
      ? `Possibly identified card: ${cardNames.join('; ')}`
      : 'Card not in the known lists',
  );
  return lines.join('\n');
}
