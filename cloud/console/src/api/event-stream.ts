/**
 * Follows a server-sent event stream (WHATWG HTML, "Server-sent events") over `fetch`,
 * so the bearer token goes in the Authorization header — EventSource sends no headers,
 * and a token never goes in a URL (docs/security.md). The parser follows the standard's
 * "Interpreting an event stream": lines end in CRLF, LF or CR (even split across
 * chunks), `:` starts a comment, fields are data / event / id / retry, a blank line
 * dispatches. After a dropped or ended connection it reconnects after the server's
 * `retry:` with `Last-Event-ID`, as EventSource does; 204 No Content ends it (the
 * server's "stop"), another non-200 answer fails it, and the abort signal stops it.
 *
 * Plain TypeScript typed structurally (no DOM or Node types), so it runs in the browser
 * and in Node 20 (tests, test/bench/console-latency.ts).
 */
export interface ServerSentEvent {
  /** `event:`, or "message". */
  type: string;
  data: string;
  /** The last `id:` seen on the stream so far ("" for none). */
  lastEventId: string;
}

interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(): Promise<void>;
}
interface StreamResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: { getReader(): ByteReader } | null;
}
interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
export type StreamFetch = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignalLike; cache?: 'no-store' },
) => Promise<StreamResponse>;

export interface EventStreamOptions {
  url: string;
  onEvent: (event: ServerSentEvent) => void;
  /** Stops the stream: no event is delivered after it, and `followEventStream` resolves. */
  signal?: AbortSignalLike;
  /** Headers of each (re)connection, asked anew each time: a refreshed token is used. */
  headers?: () => Record<string, string>;
  /** Each successful connection (200 text/event-stream). */
  onOpen?: () => void;
  /** A connection dropped; it is tried again after `retryMs` (the server's `retry:`). */
  onDrop?: (error: unknown) => void;
  /** Until the server sends `retry:` (default 2000 ms, as browsers roughly use). */
  retryMs?: number;
  /** Resume after this event id (a page that kept it). */
  lastEventId?: string;
  fetch?: StreamFetch;
}

/** The stream ended for good: an answer that is not an event stream (401, 403, 404...). */
export class EventStreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EventStreamError';
  }
}

/**
 * Resolves when the signal aborts or the server answers 204; rejects with an
 * EventStreamError when it answers another non-200 status or not `text/event-stream`.
 */
export async function followEventStream(options: EventStreamOptions): Promise<void> {
  const doFetch = options.fetch ?? (globalThis as unknown as { fetch: StreamFetch }).fetch;
  const signal = options.signal;
  const parser = new EventStreamParser(options.lastEventId ?? '', options.retryMs ?? 2000);
  while (!signal?.aborted) {
    try {
      const lastId = parser.lastEventId;
      const response = await doFetch(options.url, {
        headers: {
          accept: 'text/event-stream',
          ...(options.headers?.() ?? {}),
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
        cache: 'no-store',
        ...(signal ? { signal } : {}),
      });
      if (response.status === 204) return;
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !/^text\/event-stream\b/i.test(type) || !response.body) {
        await response.body?.getReader().cancel();
        throw new EventStreamError(
          response.status,
          `${options.url} answered ${response.status} ${type || 'without a content type'}`,
        );
      }
      options.onOpen?.();
      await pump(response.body.getReader(), parser, options.onEvent, signal);
      parser.reset();
      if (signal?.aborted) return;
      options.onDrop?.(undefined);
    } catch (error) {
      if (error instanceof EventStreamError) throw error;
      if (signal?.aborted) return;
      parser.reset();
      options.onDrop?.(error);
    }
    await sleep(parser.retryMs, signal);
  }
}

async function pump(
  reader: ByteReader,
  parser: EventStreamParser,
  onEvent: (event: ServerSentEvent) => void,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal?.aborted) return;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) {
        if (signal?.aborted) return;
        onEvent(event);
      }
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

function sleep(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** The standard's event stream interpretation, fed decoded text in chunks of any size. */
export class EventStreamParser {
  private line = '';
  private afterCR = false;
  private atStart = true;
  private data = '';
  private type = '';
  private hasData = false;

  constructor(
    /** The last event ID buffer: kept across events and reconnections. */
    public lastEventId = '',
    /** The reconnection time, set by `retry:`. */
    public retryMs = 2000,
  ) {}

  push(text: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let chunk = text;
    // A byte order mark is skipped at the start of the stream only.
    if (this.atStart && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.atStart = false;
    }
    for (const char of chunk) {
      if (char === '\n' && this.afterCR) {
        this.afterCR = false; // the LF of a CRLF split anywhere: the line already ended
        continue;
      }
      this.afterCR = char === '\r';
      if (char === '\r' || char === '\n') {
        const event = this.endLine();
        if (event) events.push(event);
      } else this.line += char;
    }
    return events;
  }

  /** A new connection: a half-received line or event is dropped (the standard's end of stream). */
  reset(): void {
    this.line = '';
    this.afterCR = false;
    this.atStart = true;
    this.data = '';
    this.type = '';
    this.hasData = false;
  }

  private endLine(): ServerSentEvent | undefined {
    const line = this.line;
    this.line = '';
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') {
      this.data += `${value}\n`;
      this.hasData = true;
    } else if (field === 'id') {
      if (!value.includes('\u0000')) this.lastEventId = value;
    } else if (field === 'retry') {
      if (/^[0-9]+$/.test(value)) this.retryMs = Number(value);
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const hasData = this.hasData;
    const data = this.data.endsWith('\n') ? this.data.slice(0, -1) : this.data;
    const type = this.type || 'message';
    this.data = '';
    this.type = '';
    this.hasData = false;
    return hasData ? { type, data, lastEventId: this.lastEventId } : undefined;
  }
}
