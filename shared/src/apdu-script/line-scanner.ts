/**
 * Lexical helpers for one script line: where the comment starts and where a
 * `reg_exp( … )` group ends. A `#` starts a comment anywhere on a line (seed:
 * "RAW:00AABBCC   # also possible"), except inside `reg_exp( … )`, whose
 * parentheses nest and whose backslash escapes the next character.
 */
export const REG_EXP_OPEN = 'reg_exp(';

/** Index just after the `)` closing a group opened at `open` (the `(`), or -1. */
export function closingParen(text: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Offset of the comment's `#`, or the line length when there is none. */
export function commentStart(line: string): number {
  let i = 0;
  while (i < line.length) {
    if (line.startsWith(REG_EXP_OPEN, i)) {
      const end = closingParen(line, i + REG_EXP_OPEN.length - 1);
      if (end < 0) return line.length; // unterminated: the parser reports it
      i = end;
      continue;
    }
    if (line[i] === '#') return i;
    i++;
  }
  return line.length;
}
