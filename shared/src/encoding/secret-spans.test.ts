import { describe, expect, it } from 'vitest';
import { encodingSecretSpans, redactSpans } from './secret-spans';

describe('secret spans of an encoding description', () => {
  it('cover the literal value of every secret key, wherever it is written', () => {
    const text = [
      'ApplicationList=P',
      '[P]',
      'Pin=1234',
      '  NewPin =  5678  ',
      'CardManagerKey=000102030405060708090A0B0C0D0E0F1011121314151617',
      'TokenLabel=label',
    ].join('\n');
    expect(encodingSecretSpans(text, 'e.ini')).toEqual([
      { line: 3, column: 5, length: 4 },
      { line: 4, column: 13, length: 4 },
      { line: 5, column: 16, length: 48 },
    ]);
  });

  it('leave out field references, prompts, empty values, unknown and non-secret keys', () => {
    const text = ['[P]', 'Pin=${PIN}', 'NewPin=?prompt', 'Puk=', 'Unknown=secret?', 'KeyPairLabel=x'].join(
      '\n',
    );
    expect(encodingSecretSpans(text, 'e.ini')).toEqual([]);
  });

  it('include a value that only looks like a reference or a prompt', () => {
    const text = ['[P]', 'Pin=${PIN}x', 'NewPin=?prompt!'].join('\n');
    expect(encodingSecretSpans(text, 'e.ini')).toEqual([
      { line: 2, column: 5, length: 7 },
      { line: 3, column: 8, length: 8 },
    ]);
  });

  it('count a byte-order mark in the columns of the first line only', () => {
    expect(encodingSecretSpans('\uFEFFPin=1234\nPuk=5678', 'e.ini')).toEqual([
      { line: 1, column: 6, length: 4 },
      { line: 2, column: 5, length: 4 },
    ]);
    expect(encodingSecretSpans('Pin=1234', 'e.ini')).toEqual([{ line: 1, column: 5, length: 4 }]);
  });

  it('give spans that redact the secrets and nothing else, with or without a BOM', () => {
    for (const text of ['Pin=1234\r\n[P]\r\nPuk = 5678\r\n', '\uFEFFPin=1234\n[P]\nPuk = 5678\n']) {
      const redacted = redactSpans(text, encodingSecretSpans(text, 'e.ini'));
      expect(redacted).not.toContain('1234');
      expect(redacted).not.toContain('5678');
      expect(redacted.replace(/\r/g, '')).toBe(
        `${text.startsWith('\uFEFF') ? '\uFEFF' : ''}Pin=[REDACTED]\n[P]\nPuk = [REDACTED]\n`,
      );
    }
  });
});

describe('redactSpans', () => {
  it('replaces spans on several lines, keeping CRLF and LF as written', () => {
    const text = 'a=secret\r\nb=ok\nc=hidden';
    expect(
      redactSpans(text, [
        { line: 1, column: 3, length: 6 },
        { line: 3, column: 3, length: 6 },
      ]),
    ).toBe('a=[REDACTED]\r\nb=ok\nc=[REDACTED]');
  });

  it('replaces two spans of one line whatever order they are given in', () => {
    const text = 'x=ab cd efgh';
    const spans = [
      { line: 1, column: 3, length: 2 },
      { line: 1, column: 9, length: 4 },
    ];
    expect(redactSpans(text, spans)).toBe('x=[REDACTED] cd [REDACTED]');
    expect(redactSpans(text, [...spans].reverse())).toBe('x=[REDACTED] cd [REDACTED]');
  });

  it('does not reorder the spans it is given', () => {
    const spans = [
      { line: 1, column: 1, length: 1 },
      { line: 1, column: 3, length: 1 },
    ];
    const copy = spans.map((s) => ({ ...s }));
    expect(redactSpans('a b', spans)).toBe('[REDACTED] [REDACTED]');
    expect(spans).toEqual(copy);
  });

  it('skips a span past the last line and leaves text without spans alone', () => {
    expect(redactSpans('a=1\nb=2', [{ line: 3, column: 1, length: 1 }])).toBe('a=1\nb=2');
    expect(redactSpans('a=1\r\nb=2', [])).toBe('a=1\r\nb=2');
  });
});
