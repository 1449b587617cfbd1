import { describe, expect, it } from 'vitest';
import type { Clock } from '../runner/clock';
import { ProgressThrottle } from './progress-throttle';

function manualClock() {
  let ms = 0;
  const clock: Clock = { monotonicMs: () => ms, isoNow: () => new Date(ms).toISOString() };
  return { clock, advance: (by: number) => (ms += by) };
}
const update = (apdusDone: number, apdusTotal = 10) => ({
  application: 'A',
  applicationIndex: 0,
  applicationCount: 1,
  apdusDone,
  apdusTotal,
});

describe('progress throttle', () => {
  it('passes at most one update between the first and the last per interval, by the injected clock', () => {
    const { clock, advance } = manualClock();
    const throttle = new ProgressThrottle(clock, 250);
    expect(throttle.passes(update(0))).toBe(true);
    expect(throttle.passes(update(1))).toBe(false);
    advance(249);
    expect(throttle.passes(update(2))).toBe(false);
    advance(1);
    expect(throttle.passes(update(3))).toBe(true);
    expect(throttle.passes(update(4))).toBe(false);
  });

  it('always passes the first and the last update of an application', () => {
    const { clock } = manualClock();
    const throttle = new ProgressThrottle(clock, 250);
    expect(throttle.passes(update(0))).toBe(true);
    expect(throttle.passes(update(10))).toBe(true);
    expect(throttle.passes(update(0, 3))).toBe(true);
  });

  it('passes the first update between boundaries even at the very start of the clock', () => {
    const { clock } = manualClock();
    expect(new ProgressThrottle(clock, 250).passes(update(5))).toBe(true);
  });
});

describe('progress throttle and the PIN wait', () => {
  it('passes the start and the end of a PIN wait even inside the interval', () => {
    const { clock, advance } = manualClock();
    const throttle = new ProgressThrottle(clock, 250);
    expect(throttle.passes(update(3))).toBe(true);
    advance(10);
    expect(throttle.passes({ ...update(3), phase: 'waiting-for-pin' })).toBe(true);
    advance(10);
    expect(throttle.passes(update(3))).toBe(true);
    advance(10);
    expect(throttle.passes(update(4))).toBe(false);
  });
});
