import { describe, expect, it } from 'vitest';
import {
  APPLICATION_STATUS_WORDS,
  BATCH_CARD_STATUS_WORDS,
  describeStatusWord,
  isSuccessStatus,
} from './status-words';

// ISO/IEC 7816-4:2020 §5.6: SW1 61 and 90 are success, 62 and 63 warnings, the rest
// errors; 61XX, 6CXX and 63CX carry a number; an application's table wins.
describe('status word categories (§5.6)', () => {
  it.each([
    [0x9000, 'success'],
    [0x6100, 'success'],
    [0x61ff, 'success'],
    [0x6200, 'warning'],
    [0x6283, 'warning'],
    [0x63c1, 'warning'],
    [0x6300, 'warning'],
    [0x6400, 'error'],
    [0x6082, 'error'],
    [0x9001, 'error'],
    [0x6a82, 'error'],
  ])('%s', (sw, category) => {
    expect(describeStatusWord(sw).category).toBe(category);
  });

  it('is success only for 9000 when asked whether a command succeeded', () => {
    expect(isSuccessStatus(0x9000)).toBe(true);
    expect(isSuccessStatus(0x6110)).toBe(false);
    expect(isSuccessStatus(0x9001)).toBe(false);
  });
});

describe('status word meanings', () => {
  it('prints the status word as four upper-case digits', () => {
    expect(describeStatusWord(0x6a8a)).toEqual({
      sw: 0x6a8a,
      hex: '6A8A',
      category: 'error',
      meaning: 'DF name already exists',
    });
    expect(describeStatusWord(0x0090)).toEqual({
      sw: 0x90,
      hex: '0090',
      category: 'error',
      meaning: 'unknown status word',
    });
  });

  it('reads 00 as 256 in 61XX and 6CXX, and the low nibble of 63CX as the tries left', () => {
    expect(describeStatusWord(0x6100).meaning).toBe('256 response bytes still available (GET RESPONSE)');
    expect(describeStatusWord(0x61ff).meaning).toBe('255 response bytes still available (GET RESPONSE)');
    expect(describeStatusWord(0x6c00).meaning).toBe('wrong Le: exact length is 256');
    expect(describeStatusWord(0x6c01).meaning).toBe('wrong Le: exact length is 1');
    expect(describeStatusWord(0x63c0).meaning).toBe('verification failed, 0 tries left');
    expect(describeStatusWord(0x63cf).meaning).toBe('verification failed, 15 tries left');
    // 63 with another high nibble is no counter: the ISO table or unknown.
    expect(describeStatusWord(0x6381).meaning).toBe('warning: file filled up by the last write');
    expect(describeStatusWord(0x63d2).meaning).toBe('unknown status word');
    expect(describeStatusWord(0x6282).meaning).toBe(
      'warning: end of file or record reached before reading Ne bytes',
    );
  });

  it('calls another 90XX proprietary normal processing', () => {
    expect(describeStatusWord(0x9001)).toMatchObject({
      hex: '9001',
      meaning: 'normal processing (proprietary)',
    });
    expect(describeStatusWord(0x9000)).toEqual({
      sw: 0x9000,
      hex: '9000',
      category: 'success',
      meaning: 'normal processing',
    });
  });

  it('takes an override before the decoded and the ISO meanings, exact words before patterns', () => {
    const table = {
      '9000': 'done by the applet',
      '63CX': 'applet counter',
      '61XX': 'more',
      '6A82': 'no such key',
      XXXX: 'never',
    };
    expect(describeStatusWord(0x9000, table)).toEqual({
      sw: 0x9000,
      hex: '9000',
      category: 'success',
      meaning: 'done by the applet',
    });
    expect(describeStatusWord(0x63c3, table).meaning).toBe('applet counter');
    expect(describeStatusWord(0x6110, table).meaning).toBe('more');
    expect(describeStatusWord(0x6a82, table).meaning).toBe('no such key');
    // A pattern matching everything still matches; an exact entry of the table does not act as a pattern.
    expect(describeStatusWord(0x6d00, table).meaning).toBe('never');
    expect(describeStatusWord(0x6a82, { '6A82': 'exact' }).meaning).toBe('exact');
    expect(describeStatusWord(0x6a83, { '6A82': 'exact' }).meaning).toBe('record not found');
    expect(describeStatusWord(0x6a83, { 'not a pattern': 'x' }).meaning).toBe('record not found');
  });

  it('keeps the batch card table under its application AID', () => {
    expect(Object.keys(APPLICATION_STATUS_WORDS)).toEqual(['A0000003634D574C01']);
    expect(APPLICATION_STATUS_WORDS.A0000003634D574C01).toBe(BATCH_CARD_STATUS_WORDS);
    expect(describeStatusWord(0x6e00, BATCH_CARD_STATUS_WORDS).meaning).toBe('wrong CLA');
    expect(describeStatusWord(0x6e00).meaning).toBe('class not supported');
  });
});
