import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs pcsc-tools' ATR_analysis (the PC/SC notes' parser) and reads its printout back into
 * the facts the corpus test compares (docs/atr.md). ATR_analysis downloads a fresh list
 * when the card is unknown and its cached copy is older than 10 hours; a fresh copy of the
 * system list in a private XDG_CACHE_HOME keeps it offline and on the same list we read.
 */
export interface AtrAnalysis {
  /** TA1, TB1, ... as ATR_analysis names them, with their values in hex. */
  interfaceBytes: { name: string; value: string }[];
  protocols: number[];
  /** Historical bytes (after ATR_analysis's own truncation to K); undefined when it stopped early. */
  historical: string | undefined;
  tck: { value: string; valid: boolean } | undefined;
  /** "ERROR! ATR is truncated/too long" or a wrong checksum. */
  irregular: boolean;
  names: string[];
  output: string;
}

// ATR_analysis colours its meanings with ANSI escapes (ESC [ ... m).
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export const SYSTEM_LIST = '/usr/share/pcsc/smartcard_list.txt';

export function privateCache(): string {
  const cache = mkdtempSync(join(tmpdir(), 'cardfleet-atr-cache-'));
  copyFileSync(SYSTEM_LIST, join(cache, 'smartcard_list.txt'));
  return cache;
}

export function atrAnalysis(hex: string, cache: string): AtrAnalysis {
  const output = execFileSync('ATR_analysis', [hex], {
    env: { ...process.env, XDG_CACHE_HOME: cache, HOME: cache },
    encoding: 'utf8',
    // Its Perl warnings on odd historical bytes ("uninitialized value") are not facts.
    stdio: ['ignore', 'pipe', 'ignore'],
  }).replace(ANSI_COLOUR, '');
  const lines = output.split('\n');
  const k = Number(/K: (\d+)/.exec(output)?.[1] ?? 0);
  const interfaceBytes: AtrAnalysis['interfaceBytes'] = [];
  const protocols: number[] = [];
  for (const line of lines) {
    const byte = /^ {2}T([ABCD])\((\d+)\) = ([0-9A-F]{2}) -->/.exec(line);
    if (!byte) continue;
    interfaceBytes.push({ name: `T${byte[1]}${byte[2]}`, value: byte[3] ?? '' });
    const protocol = /Protocol T = (\d+)/.exec(line);
    if (byte[1] === 'D' && protocol && !protocols.includes(Number(protocol[1])))
      protocols.push(Number(protocol[1]));
  }
  if (protocols.length === 0) protocols.push(0);
  const historicalLine = lines.find((l) => l.startsWith('+ Historical bytes:'));
  const historical = historicalLine
    ?.slice('+ Historical bytes:'.length)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, k)
    .join('');
  const tckLine = /^\+ TCK = ([0-9A-F]{2}) (.*)$/m.exec(output);
  const tck = tckLine ? { value: tckLine[1] ?? '', valid: tckLine[2] === '(correct checksum)' } : undefined;
  const names: string[] = [];
  const from = lines.findIndex((l) => l.startsWith('Possibly identified card'));
  if (from >= 0) {
    for (const line of lines.slice(from + 1)) {
      if (line.startsWith('\t') && line.trim() !== 'NONE' && !names.includes(line.trim()))
        names.push(line.trim());
    }
  }
  return {
    interfaceBytes,
    protocols,
    historical,
    tck,
    irregular: output.includes('ERROR!') || tck?.valid === false,
    names,
    output,
  };
}
