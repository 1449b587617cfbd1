/**
 * Time, injected: monotonic for durations, wall clock for records. Logic reads time only
 * through a Clock, so tests can hold it still; composition roots hand in `systemClock`.
 */
export interface Clock {
  /** Monotonic milliseconds, for durations. */
  monotonicMs(): number;
  /** Wall-clock time as ISO 8601, for records. */
  isoNow(): string;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  isoNow: () => new Date().toISOString(),
};

/** Whole seconds since the epoch, as JWT validity windows count (RFC 7519 §2, NumericDate). */
export function epochSeconds(clock: Clock): number {
  return Math.floor(Date.parse(clock.isoNow()) / 1000);
}
