import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { appendCapped, fileTooLarge, MAX_PROBLEMS } from './problem-list';

const problems = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => new CardfleetError('INI_BAD_KEY', `problem ${from + i}`));

const summary = (list: CardfleetError[]) => list.map((p) => `${p.code} ${p.message}`);

describe('appendCapped', () => {
  it('keeps up to 100 problems as they come', () => {
    expect(MAX_PROBLEMS).toBe(100);
    const into: CardfleetError[] = [];
    appendCapped(into, problems(99));
    expect(into.length).toBe(99);
    appendCapped(into, problems(1, 99));
    expect(summary(into)).toEqual(summary(problems(100)));
  });

  it('replaces the 100th by a note counting it and the one that did not fit', () => {
    const into: CardfleetError[] = [];
    appendCapped(into, problems(101));
    expect(into.length).toBe(100);
    expect(summary(into.slice(0, 99))).toEqual(summary(problems(99)));
    const note = into[99];
    expect(note?.code).toBe('PROBLEMS_OMITTED');
    expect(note?.message).toBe('2 more problem(s) not listed (the first 99 are shown)');
    expect(note?.details).toEqual({ omitted: 2 });
  });

  it('counts on across calls, one more for each problem left out', () => {
    const into: CardfleetError[] = [];
    appendCapped(into, problems(100));
    appendCapped(into, problems(1, 100));
    appendCapped(into, problems(3, 101));
    expect(into.length).toBe(100);
    expect(into[99]?.message).toBe('5 more problem(s) not listed (the first 99 are shown)');
    expect(into[99]?.details).toEqual({ omitted: 5 });
    expect(into[98]?.message).toBe('problem 98');
  });

  it('appends nothing for no problems and leaves the list alone', () => {
    const into = problems(100);
    appendCapped(into, []);
    expect(summary(into)).toEqual(summary(problems(100)));
  });

  it('counts every problem left out of a long list', () => {
    const into: CardfleetError[] = [];
    appendCapped(into, problems(1000));
    expect(into.length).toBe(100);
    expect(into[99]?.details).toEqual({ omitted: 901 });
  });
});

describe('fileTooLarge', () => {
  it('names the file, its size and the limit, at the start of the file', () => {
    const error = fileTooLarge('big.apdu', 300_001, 262_144);
    expect(error.code).toBe('BUNDLE_TOO_LARGE');
    expect(error.message).toBe(
      'big.apdu holds 300001 bytes; a bundle may hold at most 262144 (it travels inside one MQTT message) — not parsed',
    );
    expect(error.position).toEqual({ file: 'big.apdu', line: 1, column: 1 });
  });
});
