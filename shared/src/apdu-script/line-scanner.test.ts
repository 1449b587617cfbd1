import { describe, expect, it } from 'vitest';
import { closingParen, commentStart, REG_EXP_OPEN } from './line-scanner';

// Where a script line's comment starts (docs/encoding-format.md, "Comments"): a `#`
// anywhere, except inside `reg_exp( … )`, whose parentheses nest, whose `[…]` class
// holds any character and whose backslash escapes the next one.
describe('closingParen', () => {
  it('finds the end of a group, counting nested groups', () => {
    expect(closingParen('(abc)', 0)).toBe(5);
    expect(closingParen('x(a(b)c)d', 1)).toBe(8);
    expect(closingParen('((a)(b))', 0)).toBe(8);
    expect(closingParen('((a)(b))', 1)).toBe(4);
  });

  it('skips an escaped parenthesis and everything inside a class', () => {
    expect(closingParen(String.raw`(a\)b)`, 0)).toBe(6);
    expect(closingParen('(a[)]b)', 0)).toBe(7);
    expect(closingParen('(a[(]b)', 0)).toBe(7);
    expect(closingParen(String.raw`(a[\]]b)`, 0)).toBe(8);
    // After the class closes, parentheses count again.
    expect(closingParen('([x](y))', 0)).toBe(8);
  });

  it('returns -1 when the group never closes', () => {
    expect(closingParen('(abc', 0)).toBe(-1);
    expect(closingParen('((a)', 0)).toBe(-1);
    expect(closingParen(String.raw`(a\)`, 0)).toBe(-1);
    expect(closingParen('(a[)', 0)).toBe(-1);
    expect(closingParen('', 0)).toBe(-1);
  });
});

describe('commentStart', () => {
  it('is the first #, or the line length when there is none', () => {
    expect(commentStart('RAW:00AABBCC   # also possible')).toBe(15);
    expect(commentStart('# whole line')).toBe(0);
    expect(commentStart('RAW:00A4')).toBe(8);
    expect(commentStart('')).toBe(0);
    expect(commentStart('a#b#c')).toBe(1);
  });

  it('ignores a # inside reg_exp( … ) and finds the one after it', () => {
    expect(REG_EXP_OPEN).toBe('reg_exp(');
    const line = 'DYN:00A4 reg_exp(a#(b)) # note';
    expect(commentStart(line)).toBe(line.indexOf(' # note') + 1);
    expect(commentStart('reg_exp(#)')).toBe(10);
    expect(commentStart('reg_exp([#)])#')).toBe(13);
    expect(commentStart('x reg_exp(a) reg_exp(#) #')).toBe(24);
  });

  it('treats an unterminated reg_exp( as running to the end of the line', () => {
    expect(commentStart('DYN:reg_exp(a # b')).toBe(17);
    expect(commentStart('reg_exp(')).toBe(8);
  });

  it('reads reg_ex without its parenthesis as plain text', () => {
    expect(commentStart('reg_exp #')).toBe(8);
    expect(commentStart('REG_EXP(#)')).toBe(8);
  });
});
