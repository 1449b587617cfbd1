import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { follow } from './follow';

type Job = { state: string };
const settled = (job: Job) => job.state === 'SUCCEEDED';

describe('follow', () => {
  it('takes what the stream pushes and polls nothing when the stream saw the end', async () => {
    const load = vi.fn(async () => ({ state: 'SENT' }));
    const seen: string[] = [];
    follow<Job>({
      load,
      settled,
      onChange: (job) => seen.push(job.state),
      onError: () => undefined,
      stream: async (onValue) => {
        onValue({ state: 'SENT' });
        onValue({ state: 'SUCCEEDED' });
      },
    });
    await vi.waitFor(() => expect(seen).toEqual(['SENT', 'SUCCEEDED']));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(load).not.toHaveBeenCalled();
  });

  it('polls until settled when the stream fails (a buffered answer, a proxy)', async () => {
    const states = ['SENT', 'IN_PROGRESS', 'SUCCEEDED'];
    const load = vi.fn(async () => ({ state: states.shift() ?? 'SUCCEEDED' }));
    const seen: string[] = [];
    follow<Job>({
      load,
      settled,
      onChange: (job) => seen.push(job.state),
      onError: () => undefined,
      stream: async () => {
        throw new Error('not an event stream');
      },
      everyMs: 1,
    });
    await vi.waitFor(() => expect(seen).toEqual(['SENT', 'IN_PROGRESS', 'SUCCEEDED']));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('polls on when the stream ends before the end state', async () => {
    const load = vi.fn(async () => ({ state: 'SUCCEEDED' }));
    const seen: string[] = [];
    follow<Job>({
      load,
      settled,
      onChange: (job) => seen.push(job.state),
      onError: () => undefined,
      stream: async (onValue) => onValue({ state: 'IN_PROGRESS' }),
    });
    await vi.waitFor(() => expect(seen).toEqual(['IN_PROGRESS', 'SUCCEEDED']));
  });

  it('stops asking after a refusal (403, 404): the answer would not change', async () => {
    const load = vi.fn(async (): Promise<Job> => {
      throw new ApiError(404, 'NOT_FOUND', 'job x');
    });
    const errors: unknown[] = [];
    follow<Job>({ load, settled, onChange: () => undefined, onError: (e) => errors.push(e), everyMs: 1 });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('retries a passing failure (the network) on the next tick', async () => {
    let calls = 0;
    const load = vi.fn(async (): Promise<Job> => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return { state: 'SUCCEEDED' };
    });
    const seen: string[] = [];
    follow<Job>({
      load,
      settled,
      onChange: (job) => seen.push(job.state),
      onError: () => undefined,
      everyMs: 1,
    });
    await vi.waitFor(() => expect(seen).toEqual(['SUCCEEDED']));
  });

  it('delivers nothing after stop, from the stream or a poll', async () => {
    const seen: string[] = [];
    let push: ((job: Job) => void) | undefined;
    let aborted = false;
    const stop = follow<Job>({
      load: async () => ({ state: 'SENT' }),
      settled,
      onChange: (job) => seen.push(job.state),
      onError: () => undefined,
      stream: (onValue, signal) => {
        push = onValue;
        signal.addEventListener('abort', () => {
          aborted = true;
        });
        return new Promise(() => undefined);
      },
    });
    stop();
    push?.({ state: 'SUCCEEDED' });
    expect(seen).toEqual([]);
    expect(aborted).toBe(true);
  });
});
