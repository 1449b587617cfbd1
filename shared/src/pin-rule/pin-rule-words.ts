import { pinRuleProblem } from './pin-rule';

/**
 * A PIN rule (`reg_exp(…)` on a PIN line, `PromptPinRule`; docs/encoding-format.md) in
 * words an operator at the station understands: `[0-9]{6}` → "6 digits". Only the plain
 * shape "one character class, one count" is put in words; anything else — anchors,
 * alternations, groups, a count that allows an empty PIN, a class not listed here —
 * gives undefined, and the console says "must match the rule set for this card" with
 * the raw rule behind a disclosure instead of guessing (docs/edge-agent.md).
 */
const SHAPE = /^(\\d|\[[^\]^\\[]+\]|\[\[:(?:digit|xdigit|alnum|alpha):\]\])(\{(\d+)(,(\d*))?\}|\+)$/;

/** A class by its sorted ranges, as it reads in the singular and the plural. */
const CLASSES: Record<string, readonly [one: string, many: string]> = {
  '0-9': ['digit', 'digits'],
  '0-9,A-Z,a-z': ['letter or digit', 'letters or digits'],
  '0-9,A-F': ['hexadecimal character (0–9, A–F)', 'hexadecimal characters (0–9, A–F)'],
  '0-9,a-f': ['hexadecimal character (0–9, a–f)', 'hexadecimal characters (0–9, a–f)'],
  '0-9,A-F,a-f': [
    'hexadecimal character (0–9, A–F in either case)',
    'hexadecimal characters (0–9, A–F in either case)',
  ],
  'A-Z,a-z': ['letter', 'letters'],
  'A-Z': ['capital letter', 'capital letters'],
  'a-z': ['lower-case letter', 'lower-case letters'],
};

/** POSIX classes as RE2 reads them (RE2 syntax, "ASCII classes"). */
const POSIX: Record<string, string> = {
  '[[:digit:]]': '0-9',
  '[[:xdigit:]]': '0-9,A-F,a-f',
  '[[:alnum:]]': '0-9,A-Z,a-z',
  '[[:alpha:]]': 'A-Z,a-z',
};

/** The rule in words, or undefined when it cannot be said plainly. */
export function pinRuleWords(rule: string): string | undefined {
  if (pinRuleProblem(rule) !== undefined) return undefined;
  const shape = SHAPE.exec(rule);
  if (!shape?.[1] || !shape[2]) return undefined;
  const names = CLASSES[classKey(shape[1]) ?? ''];
  if (!names) return undefined;
  if (shape[2] === '+') return `at least 1 ${names[0]}`;
  const min = Number(shape[3]);
  const max = shape[4] === undefined ? min : shape[5] === '' ? Number.POSITIVE_INFINITY : Number(shape[5]);
  // An empty PIN allowed, or a count RE2 would refuse: say nothing rather than something odd.
  if (min < 1 || max < min) return undefined;
  const count = (n: number) => `${n} ${n === 1 ? names[0] : names[1]}`;
  if (max === min) return count(min);
  if (max === Number.POSITIVE_INFINITY) return `at least ${count(min)}`;
  return `${min} to ${max} ${names[1]}`;
}

/** Whether the rule asks for digits only (the console then offers a numeric keypad). */
export function pinRuleIsDigits(rule: string): boolean {
  const shape = SHAPE.exec(rule);
  return pinRuleWords(rule) !== undefined && shape?.[1] !== undefined && classKey(shape[1]) === '0-9';
}

/** `[A-Za-z0-9]`, `[a-zA-Z0-9]`, `\d`… → their ranges sorted and joined, or undefined. */
function classKey(token: string): string | undefined {
  if (token === '\\d') return '0-9';
  const posix = POSIX[token];
  if (posix) return posix;
  const body = token.slice(1, -1);
  const ranges = body.match(/[0-9A-Za-z]-[0-9A-Za-z]/g) ?? [];
  // Anything besides whole ranges (a single character, a dash, an escape) is not in the table.
  if (ranges.join('') !== body) return undefined;
  const unique = [...new Set(ranges)];
  if (unique.length !== ranges.length) return undefined;
  return unique.sort().join(',');
}
