import { CardfleetError } from '@cardfleet/shared';

/**
 * Retrying an optimistic single-item write that lost to another writer (the table's
 * conditional puts, docs/architecture.md "The table"). Many API and ingestion
 * instances write the same few items at once; retrying at once makes the losers
 * collide again in lockstep. Each retry waits a random time below an exponentially
 * growing, capped bound ("full jitter": sleep = random × min(cap, base × 2^n)), so
 * the contenders spread out and throughput grows with concurrency instead of
 * collapsing. After `attempts` losses the request answers 503 WRITE_CONTENTION with
 * Retry-After (cloud/src/http/api-error.ts) — bounded, never a silent loop.
 */
export interface RetryPolicy {
  /** How many times the write is tried in all. */
  attempts: number;
  /** The first wait's upper bound, in ms. */
  baseMs: number;
  /** No wait's upper bound exceeds this, in ms. */
  capMs: number;
  /** In [0, 1): injected so tests fix it. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // Up to ~2.5 s of waiting in all: well inside an API Gateway request (29 s) and a
  // result ingestion Lambda's timeout.
  attempts: 16,
  baseMs: 4,
  capMs: 250,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The wait before retry `n` (0 = the first retry): uniform in [0, min(cap, base × 2^n)). */
export function backoffMs(policy: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'random'>, n: number): number {
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n, 30));
  return Math.floor(policy.random() * bound);
}

/** A try that lost the race: the write is tried again after a wait. */
export const LOST = Symbol('lost');

/**
 * Runs `write` until it returns something other than LOST, waiting with full jitter
 * between tries; throws WRITE_CONTENTION (503, Retry-After) with `what` when every
 * try lost. Errors `write` throws (NOT_FOUND, a refused move) end the loop at once.
 */
export async function retryOptimistic<T>(
  what: string,
  write: (attempt: number) => Promise<T | typeof LOST>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (attempt > 0) await policy.sleep(backoffMs(policy, attempt - 1));
    const outcome = await write(attempt);
    if (outcome !== LOST) return outcome;
  }
  throw new CardfleetError('WRITE_CONTENTION', `${what} kept changing while it was written; try again`, {
    details: { attempts: policy.attempts },
  });
}
