import type { StatusWordPattern } from './script-ast';

/** Parses `63CX`, `6A82`, `61XX`: four hex digits, X = any nibble. */
export function parseStatusWordPattern(text: string): StatusWordPattern | undefined {
  if (!/^[0-9A-Fa-fXx]{4}$/.test(text)) return undefined;
  let value = 0;
  let mask = 0;
  for (const ch of text.toUpperCase()) {
    value <<= 4;
    mask <<= 4;
    if (ch !== 'X') {
      value |= Number.parseInt(ch, 16);
      mask |= 0xf;
    }
  }
  return { text: text.toUpperCase(), value, mask };
}

export function statusWordMatches(pattern: StatusWordPattern, sw: number): boolean {
  return (sw & pattern.mask) === pattern.value;
}
