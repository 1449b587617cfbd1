import { CardfleetError } from '../errors/cardfleet-error';
import type { ApduScript } from './script-ast';

/**
 * Warnings for RAW lines whose Lc disagrees with the data written after it. A RAW line is
 * sent exactly as written (the APDU guide: RAW is "a fixed APDU"), so this never changes
 * what reaches the card; it tells the author at validate time what the card will most
 * likely answer with 6700 (wrong length). The command cases are ISO/IEC 7816-4:2013 §5.1:
 *   case 1: CLA INS P1 P2                      case 2S: … Le
 *   case 3S: … Lc(1..FF) data                  case 4S: … Lc data Le
 *   extended: … 00 Lc(2 bytes) data [Le(2 bytes)], or … 00 Le(2 bytes) (case 2E).
 * `text` is the script source, for the column of the APDU on its line.
 */
export function rawLengthWarnings(script: ApduScript, text: string): CardfleetError[] {
  const sourceLines = text.split(/\r?\n/);
  const warnings: CardfleetError[] = [];
  for (const line of script.lines) {
    if (line.kind !== 'RAW') continue;
    const complaint = lengthComplaint(line.apdu);
    if (!complaint) continue;
    const source = sourceLines[line.line - 1] ?? '';
    const colon = source.indexOf(':');
    const column =
      colon < 0
        ? 1
        : colon + 2 + (source.slice(colon + 1).length - source.slice(colon + 1).trimStart().length);
    warnings.push(
      new CardfleetError('SCRIPT_LC_MISMATCH', `${complaint}; the line is sent as written`, {
        position: { file: script.file, line: line.line, column },
      }),
    );
  }
  return warnings;
}

function lengthComplaint(apdu: Uint8Array): string | undefined {
  const n = apdu.length;
  if (n <= 5) return undefined; // case 1 or case 2S
  const lc = apdu[4] ?? 0;
  if (lc !== 0) {
    const data = n - 5;
    if (data === lc || data === lc + 1) return undefined;
    return `Lc is ${lc} but ${data} byte(s) follow it (expected ${lc} data bytes, or ${lc + 1} with Le)`;
  }
  if (n === 7) return undefined; // case 2E: 00 Le Le
  const extended = ((apdu[5] ?? 0) << 8) | (apdu[6] ?? 0);
  const data = n - 7;
  if (n > 7 && extended > 0 && (data === extended || data === extended + 2)) return undefined;
  return `extended Lc (00 ${hex2(apdu[5])} ${hex2(apdu[6])}) is ${extended} but ${Math.max(0, data)} byte(s) follow it`;
}

function hex2(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, '0');
}
