import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { base64Text, bundleProblems, parseStages, problemPlace } from './encodings-api';

describe('the encodings API helpers', () => {
  it('sends file text as UTF-8 base64, as the CLI reads the bytes of a file', () => {
    const text = 'Description=Carte été ✓\n';
    expect(base64Text(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
  });

  it("reads a refused push's problems with their positions, and nothing from another refusal", () => {
    const problems = [
      {
        code: 'SCRIPT_BAD_HEX',
        message: "APDU: 'G' is not a hex digit",
        file: 'a.apdu',
        line: 2,
        column: 30,
      },
    ];
    expect(
      bundleProblems(new ApiError(400, 'ENCODING_INVALID', 'the bundle has 1 problem(s)', { problems })),
    ).toEqual(problems);
    expect(bundleProblems(new ApiError(400, 'ENCODING_INVALID', 'x', {}))).toEqual([]);
    expect(bundleProblems(new ApiError(413, 'BUNDLE_TOO_LARGE', 'too large'))).toBeUndefined();
    expect(bundleProblems(new Error('offline'))).toBeUndefined();
  });

  it('names a problem by file:line:col, or the bundle when it has no file', () => {
    expect(problemPlace({ code: 'C', message: 'm', file: 'encoding.ini', line: 4, column: 1 })).toBe(
      'encoding.ini:4:1',
    );
    expect(problemPlace({ code: 'C', message: 'm', file: 'encoding.ini' })).toBe('encoding.ini');
    expect(problemPlace({ code: 'C', message: 'm' })).toBe('the bundle');
  });

  it('reads stages as offices by commas and stages by semicolons, blanks dropped', () => {
    expect(parseStages(' berlin ; paris,rome ;; * ')).toEqual([['berlin'], ['paris', 'rome'], ['*']]);
    expect(parseStages(' ; , ')).toEqual([]);
  });
});
