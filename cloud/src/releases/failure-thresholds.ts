import type { ReleaseThresholds } from '@cardfleet/shared';
import type { OutcomeClass } from './outcome-classification';

/**
 * The counts a release halts on (docs/releases.md, "Automatic halt"): the outcomes of
 * its first `firstJobs` counted jobs and of its last `window` counted jobs, each under
 * its execution key (`<jobId>:<attempt>`), so a result delivered twice counts once
 * (within the kept outcomes: ingestion repeats only recent deliveries).
 */
export interface Outcome {
  key: string;
  failed: boolean;
}

export interface ReleaseCounts {
  counted: number;
  failed: number;
  ignored: number;
  first: Outcome[];
  recent: Outcome[];
  /** Keys of the last ignored outcomes, so a repeated delivery is not ignored twice. */
  ignoredRecent: string[];
}

export const emptyCounts = (): ReleaseCounts => ({
  counted: 0,
  failed: 0,
  ignored: 0,
  first: [],
  recent: [],
  ignoredRecent: [],
});

/** The counts with one outcome more; unchanged (`duplicate`) when the key was seen. */
export function addOutcome(
  counts: ReleaseCounts,
  key: string,
  outcome: OutcomeClass,
  thresholds: ReleaseThresholds,
): { counts: ReleaseCounts; duplicate: boolean } {
  const seen =
    [...counts.first, ...counts.recent].some((o) => o.key === key) || counts.ignoredRecent.includes(key);
  if (seen) return { counts, duplicate: true };
  if (!outcome.counts)
    return {
      counts: {
        ...counts,
        ignored: counts.ignored + 1,
        ignoredRecent: [...counts.ignoredRecent, key].slice(-thresholds.window),
      },
      duplicate: false,
    };
  const entry = { key, failed: outcome.failed };
  return {
    counts: {
      ...counts,
      counted: counts.counted + 1,
      failed: counts.failed + (outcome.failed ? 1 : 0),
      first: counts.first.length < thresholds.firstJobs ? [...counts.first, entry] : counts.first,
      recent: [...counts.recent, entry].slice(-thresholds.window),
    },
    duplicate: false,
  };
}

/**
 * Why the release must halt, or undefined: more than `firstMaxFailures` failed among the
 * first `firstJobs` counted jobs (checked from the first failure on, so it halts as soon
 * as it is crossed), or — once `window` jobs were counted — more than
 * `windowMaxFailureRate` of the last `window` failed (a partial window would halt on one
 * early failure: the first-jobs rule covers the start).
 */
export function thresholdCrossed(counts: ReleaseCounts, thresholds: ReleaseThresholds): string | undefined {
  const firstFailed = counts.first.filter((o) => o.failed).length;
  if (firstFailed > thresholds.firstMaxFailures)
    return `${firstFailed} of the first ${thresholds.firstJobs} counted jobs failed (more than ${thresholds.firstMaxFailures})`;
  if (counts.recent.length < thresholds.window) return undefined;
  const recentFailed = counts.recent.filter((o) => o.failed).length;
  if (recentFailed > thresholds.windowMaxFailureRate * thresholds.window)
    return `${recentFailed} of the last ${thresholds.window} counted jobs failed (more than ${Math.round(thresholds.windowMaxFailureRate * 100)} %)`;
  return undefined;
}

/** After a resume the evaluation starts again: totals stay, the windows are emptied. */
export function restartedCounts(counts: ReleaseCounts): ReleaseCounts {
  return { ...counts, first: [], recent: [], ignoredRecent: [] };
}
