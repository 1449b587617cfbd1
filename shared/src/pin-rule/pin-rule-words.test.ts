import { describe, expect, it } from 'vitest';
import { pinRuleIsDigits, pinRuleWords } from './pin-rule-words';

describe('a PIN rule in words', () => {
  it.each([
    ['[0-9]{6}', '6 digits'],
    ['\\d{6}', '6 digits'],
    ['[[:digit:]]{6}', '6 digits'],
    ['[0-9]{1}', '1 digit'],
    ['[0-9]{6,6}', '6 digits'],
    ['[0-9]{4,8}', '4 to 8 digits'],
    ['[0-9]{6,}', 'at least 6 digits'],
    ['[0-9]{1,}', 'at least 1 digit'],
    ['[0-9]+', 'at least 1 digit'],
    ['[A-Za-z0-9]{8}', '8 letters or digits'],
    ['[a-zA-Z0-9]{8}', '8 letters or digits'],
    ['[0-9a-zA-Z]{8,12}', '8 to 12 letters or digits'],
    ['[[:alnum:]]{8}', '8 letters or digits'],
    ['[0-9A-F]{16}', '16 hexadecimal characters (0–9, A–F)'],
    ['[A-F0-9]{1}', '1 hexadecimal character (0–9, A–F)'],
    ['[0-9a-f]{32}', '32 hexadecimal characters (0–9, a–f)'],
    ['[0-9A-Fa-f]{4,}', 'at least 4 hexadecimal characters (0–9, A–F in either case)'],
    ['[[:xdigit:]]{48}', '48 hexadecimal characters (0–9, A–F in either case)'],
    ['[A-Za-z]{4}', '4 letters'],
    ['[[:alpha:]]{2,3}', '2 to 3 letters'],
    ['[A-Z]{3}', '3 capital letters'],
    ['[a-z]{3}', '3 lower-case letters'],
    ['[0-9]{10,12}', '10 to 12 digits'],
    ['[0-9]{12,}', 'at least 12 digits'],
    ['[0-9]{2,3}', '2 to 3 digits'],
    ['[0-9]{1,2}', '1 to 2 digits'],
    ['\\d+', 'at least 1 digit'],
  ])('says %s as "%s"', (rule, words) => {
    expect(pinRuleWords(rule)).toBe(words);
  });

  it.each([
    ['an anchored rule', '^[0-9]{6}$'],
    ['a rule anchored at the start only', '^[0-9]{6}'],
    ['an alternation', '[0-9]{6}|[0-9]{8}'],
    ['an alternation of classes', '\\d{6}|[#;]x'],
    ['a group', '(?:[0-9]{6})'],
    ['a capture group with a count', '([0-9]{2}){3}'],
    ['a negated class', '[^0-9]{6}'],
    ['a class with a single character', '[0-9x]{6}'],
    ['a class with a dash', '[0-9-]{6}'],
    ['a class with an escape', '[\\d]{6}'],
    ['a range not in the table', '[1-9]{6}'],
    ['a range repeated', '[0-90-9]{6}'],
    ['a dot', '.{6}'],
    ['a literal PIN', '123456'],
    ['a class without a count', '[0-9]'],
    ['a count that allows an empty PIN', '[0-9]{0,8}'],
    ['an optional PIN', '[0-9]*'],
    ['a count the wrong way round', '[0-9]{8,4}'],
    ['a lazy count', '[0-9]{6}?'],
    ['two counts', '[0-9]{4}[A-Z]{2}'],
    ['a backreference RE2 refuses', '(a)\\1'],
    ['lookahead RE2 refuses', '(?=.*[0-9])[a-z0-9]{8}'],
    ['an unclosed class', '[0-9{6}'],
    ['an empty rule', ''],
    ['a case-insensitive flag', '(?i)[a-f0-9]{8}'],
    ['a class of single characters', '[xy]{6}'],
    ['text before the class', 'a[0-9]{6}'],
    ['text after the count', '[0-9]{6}a'],
    ['a count of zero', '[0-9]{0}'],
    ['a class and a plus with text after', '[0-9]+a'],
    ['an unknown POSIX class', '[[:upper:]]{4}'],
    ['a count with blanks', '[0-9]{ 6}'],
  ])('gives nothing for %s (%s): the console shows the raw rule instead', (_, rule) => {
    expect(pinRuleWords(rule)).toBeUndefined();
  });
});

describe('a digits-only PIN rule', () => {
  it('is one whose words name digits alone', () => {
    for (const rule of ['[0-9]{6}', '\\d{4,8}', '[[:digit:]]+', '[0-9]{6,}'])
      expect(pinRuleIsDigits(rule), rule).toBe(true);
    for (const rule of [
      '[A-Za-z0-9]{8}',
      '[0-9A-F]{16}',
      '^[0-9]{6}$',
      '[0-9]{6}|[0-9]{8}',
      '[0-9]{0,4}',
      '[A-Z]{3}',
      '[[:xdigit:]]{4}',
      '[0-9]{6}a',
      '[0-9]{8,4}',
    ])
      expect(pinRuleIsDigits(rule), rule).toBe(false);
  });
});
