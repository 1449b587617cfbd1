/** Time, injected (DESIGN house style 4): monotonic for durations, wall clock for records. */
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
