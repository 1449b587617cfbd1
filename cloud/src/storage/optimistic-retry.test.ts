import { CardfleetError, errorStatus } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { EnvelopeRecords } from '../publishing/envelope-records';
import { MemoryTable } from './memory-table';
import { backoffMs, LOST, type RetryPolicy, retryOptimistic } from './optimistic-retry';
import type { Item } from './table-port';

/** A policy whose waits are recorded, not slept, with a fixed "random" draw. */
function recording(draw: number, attempts = 6) {
  const waits: number[] = [];
  const policy: RetryPolicy = {
    attempts,
    baseMs: 10,
    capMs: 100,
    random: () => draw,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
  return { policy, waits };
}

describe('optimistic writes retried with full jitter', () => {
  it('waits a random share of an exponentially growing, capped bound before each retry', () => {
    const { policy } = recording(0.999);
    expect([0, 1, 2, 3, 4, 20].map((n) => backoffMs(policy, n))).toEqual([9, 19, 39, 79, 99, 99]);
    expect(backoffMs({ ...policy, random: () => 0 }, 5)).toBe(0);
    expect(backoffMs({ ...policy, random: () => 0.5 }, 1)).toBe(10);
  });

  it('returns the first write that does not lose, after one wait per lost try', async () => {
    const { policy, waits } = recording(0.5);
    let tries = 0;
    const value = await retryOptimistic('x', async () => (++tries < 4 ? LOST : 'written'), policy);
    expect(value).toBe('written');
    expect(waits).toEqual([5, 10, 20]);
  });

  it('answers WRITE_CONTENTION (503, Retry-After) after the last try lost', async () => {
    const { policy, waits } = recording(0.5, 3);
    const failure = await retryOptimistic('job j', async () => LOST, policy).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CardfleetError);
    expect(failure).toMatchObject({ code: 'WRITE_CONTENTION', details: { attempts: 3 } });
    expect(errorStatus('WRITE_CONTENTION')).toBe(503);
    expect(waits).toHaveLength(2);
  });

  it('stops at once on an error the write throws (a refused change is not contention)', async () => {
    const { policy, waits } = recording(0.5);
    let tries = 0;
    const failure = retryOptimistic(
      'x',
      async () => {
        tries++;
        throw new CardfleetError('CONFLICT', 'not allowed');
      },
      policy,
    );
    await expect(failure).rejects.toMatchObject({ code: 'CONFLICT' });
    expect([tries, waits.length]).toEqual([1, 0]);
  });

  it('hands out every sequence number once to writers racing on one item', async () => {
    const table = new MemoryTable();
    // Every other conditional put loses, as if another instance had written first.
    let puts = 0;
    const racing = Object.assign(Object.create(table) as MemoryTable, {
      putIfVersion: async (item: Item, expected: number | undefined) =>
        ++puts % 2 === 0 ? false : table.putIfVersion(item, expected),
    });
    const records = new EnvelopeRecords(racing, recording(0.5, 30).policy);
    const seqs = await Promise.all(Array.from({ length: 8 }, () => records.nextSeq('agent-1')));
    expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
