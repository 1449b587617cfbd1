import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/**
 * One live route's answer, as server-sent events (WHATWG HTML, "Server-sent events";
 * docs/console-live-progress.md): the current state at once, then one event per change,
 * each with `id:` its change marker — a reconnect that names the last one it got
 * (`Last-Event-ID`) is not sent it again. The stream ends after the event of an end
 * state; a reconnect after that end is answered 204 No Content, which tells an
 * EventSource (and cloud/console/src/api/event-stream.ts) to stop.
 */
export interface LiveSnapshot {
  /** The change marker: differs after every change (the `id:` field). */
  id: string;
  data: unknown;
  /** The last state there will be: the stream ends after it. */
  ended: boolean;
}

export interface LiveSource {
  /** The event name (`event:` field). */
  event: string;
  read(): Promise<LiveSnapshot>;
  /** Calls `listener` when the state may have changed (jobs/job-changes.ts); returns the unsubscribe. */
  watch(listener: () => void): () => void;
}

export interface LiveOptions {
  /** A comment line this often keeps proxies from closing an idle stream (streaming only). */
  heartbeatMs: number;
  /** The reconnection delay sent to the client (`retry:`). */
  retryMs: number;
  /**
   * Where the answer is buffered whole before it leaves (a Lambda function URL in BUFFERED
   * mode): at most one event per answer, after waiting up to `holdMs` for a change when the
   * client is up to date; the client reconnects after `retryMs` — a long poll in SSE form.
   */
  buffered?: { holdMs: number };
}

export async function liveResponse(c: Context, source: LiveSource, options: LiveOptions): Promise<Response> {
  const lastId = c.req.header('last-event-id');
  let dirty = false;
  let wake: (() => void) | undefined;
  // Watching starts before the first read: a change in between marks the stream dirty.
  const unsubscribe = source.watch(() => {
    dirty = true;
    wake?.();
  });
  let first: LiveSnapshot;
  try {
    first = await source.read();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (first.ended && first.id === lastId) {
    unsubscribe();
    return c.body(null, 204);
  }
  let over = false;
  const stop = () => {
    over = true;
    wake?.();
  };
  // Resolves on a change, the end of the hold, an abort, or (streaming) the heartbeat's time.
  const pause = () =>
    new Promise<'change' | 'heartbeat'>((resolve) => {
      const beat = options.buffered ? undefined : setTimeout(() => done('heartbeat'), options.heartbeatMs);
      const done = (why: 'change' | 'heartbeat') => {
        if (beat) clearTimeout(beat);
        wake = undefined;
        resolve(why);
      };
      wake = () => done('change');
      if (dirty || over) done('change');
    });
  const run = async (write: (text: string) => Promise<void>) => {
    try {
      await write(`retry: ${options.retryMs}\n\n`);
      let sent = lastId;
      let snapshot = first;
      for (;;) {
        if (snapshot.id !== sent) {
          // JSON escapes line breaks, so the data is one `data:` line.
          await write(
            `event: ${source.event}\nid: ${snapshot.id}\ndata: ${JSON.stringify(snapshot.data)}\n\n`,
          );
          sent = snapshot.id;
          if (options.buffered) break;
        }
        if (snapshot.ended) break;
        const why = await pause();
        if (over) break;
        if (why === 'heartbeat') {
          await write(': keep-alive\n\n');
          continue;
        }
        dirty = false;
        snapshot = await source.read();
      }
    } catch {
      // A failed read or a write to a gone client ends the stream; the client reconnects
      // with its Last-Event-ID and misses nothing (nothing here is worth a log line each).
    } finally {
      unsubscribe();
    }
  };
  const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  if (options.buffered) {
    // The whole answer is one body: no stream headers for an adapter that buffers anyway.
    let body = '';
    const hold = setTimeout(stop, options.buffered.holdMs);
    await run(async (text) => {
      body += text;
    });
    clearTimeout(hold);
    return c.body(body, 200, headers);
  }
  return streamSSE(c, async (stream) => {
    stream.onAbort(stop);
    await run((text) => stream.write(text).then(() => undefined));
  });
}
