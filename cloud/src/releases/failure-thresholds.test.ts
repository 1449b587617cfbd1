import { DEFAULT_RELEASE_THRESHOLDS, type ReleaseThresholds } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import {
  addOutcome,
  emptyCounts,
  type ReleaseCounts,
  restartedCounts,
  thresholdCrossed,
} from './failure-thresholds';
import type { OutcomeClass } from './outcome-classification';

const fail: OutcomeClass = { counts: true, failed: true, reason: 'card' };
const pass: OutcomeClass = { counts: true, failed: false, reason: 'ok' };
const ignored: OutcomeClass = { counts: false, reason: 'cancelled' };

/** Feeds outcomes in order ('F' failed, 'S' succeeded, 'I' not counted); the reason it halted, if it did. */
function feed(pattern: string, thresholds: ReleaseThresholds = DEFAULT_RELEASE_THRESHOLDS) {
  let counts: ReleaseCounts = emptyCounts();
  let n = 0;
  for (const c of pattern) {
    const outcome = c === 'F' ? fail : c === 'S' ? pass : ignored;
    counts = addOutcome(counts, `job-${n++}:1`, outcome, thresholds).counts;
    const crossed = thresholdCrossed(counts, thresholds);
    if (crossed) return { crossed, at: n, counts };
  }
  return { crossed: undefined, at: n, counts };
}

describe('release failure thresholds', () => {
  it('by default halts at the third failure among the first ten counted jobs, not at the second', () => {
    expect(feed('SSFSSFSSSS').crossed).toBeUndefined();
    const third = feed('SFSFSF');
    expect(third.at).toBe(6);
    expect(third.crossed).toContain('3 of the first 10');
  });

  it('counts only counted jobs: cancelled or mistyped ones neither fail nor fill the first ten', () => {
    expect(feed('FIFIIIIIIIIIIS').crossed).toBeUndefined();
    const { counts } = feed('FIFIS');
    expect([counts.counted, counts.failed, counts.ignored, counts.first.length]).toEqual([3, 2, 2, 3]);
  });

  it('after the first ten, halts when more than 20 % of the last 50 failed, and only on a full window', () => {
    const start = 'S'.repeat(40);
    // 10 of the last 50 is 20 %: not more.
    expect(feed(`${start}${'F'.repeat(10)}`).crossed).toBeUndefined();
    const halted = feed(`${start}${'F'.repeat(10)}SF`);
    expect(halted.crossed).toContain('11 of the last 50');
    // Failures spread after a clean start: the first-ten rule is not crossed, the window not full.
    expect(feed(`${'S'.repeat(10)}${'FS'.repeat(19)}`).crossed).toBeUndefined();
  });

  it('takes thresholds set per release', () => {
    const strict = { firstJobs: 5, firstMaxFailures: 0, window: 4, windowMaxFailureRate: 0.5 };
    expect(feed('SF', strict).at).toBe(2);
    expect(feed('SSSSSSFF', strict).crossed).toBeUndefined();
    expect(feed('SSSSSSFFF', strict).crossed).toContain('3 of the last 4');
    const lenient = { ...DEFAULT_RELEASE_THRESHOLDS, firstMaxFailures: 5 };
    expect(feed('FFFFF', lenient).crossed).toBeUndefined();
  });

  it('counts a result delivered twice once', () => {
    const counts = addOutcome(emptyCounts(), 'j:1', fail, DEFAULT_RELEASE_THRESHOLDS).counts;
    const again = addOutcome(counts, 'j:1', fail, DEFAULT_RELEASE_THRESHOLDS);
    expect(again.duplicate).toBe(true);
    expect(again.counts.failed).toBe(1);
    const skipped = addOutcome(emptyCounts(), 'k:1', ignored, DEFAULT_RELEASE_THRESHOLDS).counts;
    expect(addOutcome(skipped, 'k:1', ignored, DEFAULT_RELEASE_THRESHOLDS).duplicate).toBe(true);
  });

  it('starts the evaluation again after a resume, keeping the totals', () => {
    const halted = feed('FFF').counts;
    const resumed = restartedCounts(halted);
    expect(thresholdCrossed(resumed, DEFAULT_RELEASE_THRESHOLDS)).toBeUndefined();
    expect([resumed.counted, resumed.failed]).toEqual([3, 3]);
  });
});
