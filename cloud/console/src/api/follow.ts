import { ApiError } from './client';

/**
 * Follows one resource (a job, a batch) until it settles: `onChange` gets it each time it
 * may have changed. With `stream`, the server pushes each change (server-sent events);
 * when the stream fails or ends before the resource settled, polling its GET once a
 * second takes over. `stop()` ends either (the page went away).
 */
export interface Follow<T> {
  load: () => Promise<T>;
  settled: (value: T) => boolean;
  onChange: (value: T) => void;
  onError: (error: unknown) => void;
  /** Pushes each new value; resolves when the server ends the stream, rejects when it fails. */
  stream?: ((onValue: (value: T) => void, signal: AbortSignal) => Promise<void>) | undefined;
  everyMs?: number;
}

export function follow<T>({
  load,
  settled,
  onChange,
  onError,
  stream,
  everyMs = 1000,
}: Follow<T>): () => void {
  const controller = new AbortController();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    try {
      const value = await load();
      if (stopped) return;
      onChange(value);
      if (settled(value)) return;
    } catch (error) {
      if (stopped) return;
      onError(error);
      // Refused or gone: asking again gets the same answer.
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return;
    }
    timer = setTimeout(poll, everyMs);
  };
  if (stream) {
    let last: T | undefined;
    const fallBack = () => {
      if (!stopped && !(last !== undefined && settled(last))) void poll();
    };
    stream((value) => {
      if (stopped) return;
      last = value;
      onChange(value);
    }, controller.signal).then(fallBack, fallBack);
  } else void poll();
  return () => {
    stopped = true;
    controller.abort();
    if (timer) clearTimeout(timer);
  };
}
