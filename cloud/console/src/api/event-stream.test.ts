import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreamError, EventStreamParser, followEventStream, type ServerSentEvent } from './event-stream';

/** A real HTTP server on loopback; each connection is handed to the test's script in turn. */
async function sseServer(
  ...scripts: ((req: IncomingMessage, res: ServerResponse) => void | Promise<void>)[]
) {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    const script = scripts[Math.min(requests.length, scripts.length) - 1];
    void script?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, requests };
}
const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const open = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Writes each piece as its own chunk, with a pause so they arrive apart. */
async function writeApart(res: ServerResponse, pieces: string[]) {
  for (const piece of pieces) {
    res.write(piece);
    await pause(15);
  }
}

/** Follows until `count` events arrived, then aborts; returns them. */
async function collect(url: string, count: number, extra: { headers?: () => Record<string, string> } = {}) {
  const events: ServerSentEvent[] = [];
  const controller = new AbortController();
  const done = followEventStream({
    url,
    signal: controller.signal,
    retryMs: 5000,
    ...extra,
    onEvent: (event) => {
      events.push(event);
      if (events.length >= count) controller.abort();
    },
  });
  await done;
  return events;
}

describe('the event stream parser (WHATWG HTML, "Interpreting an event stream")', () => {
  it('joins multi-line data, names events, ignores comments and unknown fields', () => {
    const parser = new EventStreamParser();
    const events = parser.push(
      ': a comment\nevent: job\ndata: {"a":\ndata:1}\nid: 7\nunknown: x\n\ndata\n\ndata:  two spaces\n\n',
    );
    expect(events).toEqual([
      { type: 'job', data: '{"a":\n1}', lastEventId: '7' },
      { type: 'message', data: '', lastEventId: '7' },
      { type: 'message', data: ' two spaces', lastEventId: '7' },
    ]);
  });

  it('ends lines at CRLF, LF or CR, even when a CRLF is split across chunks', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: a\r')).toEqual([]);
    // The LF completing the CRLF is not a second (blank) line: no event yet.
    expect(parser.push('\ndata: b\r')).toEqual([]);
    expect(parser.push('\r')).toEqual([{ type: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('dispatches nothing for a block without data, and keeps the id for later events', () => {
    const parser = new EventStreamParser();
    expect(parser.push('id: 3\nevent: x\n\n')).toEqual([]);
    expect(parser.push('data: d\n\n')).toEqual([{ type: 'message', data: 'd', lastEventId: '3' }]);
  });

  it('takes retry only when it is all digits, and ignores an id with NUL', () => {
    const parser = new EventStreamParser('', 2000);
    parser.push('retry: 1x\nretry: 150\nid: a\u0000b\n\n');
    expect(parser.retryMs).toBe(150);
    expect(parser.lastEventId).toBe('');
  });

  it('skips a leading byte order mark only', () => {
    const parser = new EventStreamParser();
    expect(parser.push('\ufeffdata: x\n\n')).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
    expect(parser.push('\ufeffdata: y\n\n')).toEqual([]);
  });
});

describe('following an event stream over HTTP', () => {
  it('reads events whose lines are split mid-line and mid-character across chunks', async () => {
    const { url } = await sseServer(async (_req, res) => {
      open(res);
      const euro = Buffer.from('data: 1 €\n\n');
      await writeApart(res, ['ev', 'ent: job\nda', 'ta: {"state":', '"QUEUED"}\nid: 1\n', '\n']);
      res.write(euro.subarray(0, 9)); // cuts the euro sign's three bytes
      await pause(15);
      res.write(euro.subarray(9));
    });
    const events = await collect(url, 2);
    expect(events).toEqual([
      { type: 'job', data: '{"state":"QUEUED"}', lastEventId: '1' },
      { type: 'message', data: '1 €', lastEventId: '1' },
    ]);
  });

  it('reconnects after a drop with Last-Event-ID, after the retry the server set, and drops the half event', async () => {
    const { url, requests } = await sseServer(
      async (_req, res) => {
        open(res);
        await writeApart(res, ['retry: 50\n\n', 'id: 4\ndata: first\n\n', 'data: half']);
        res.destroy(); // the connection drops mid-event
      },
      (_req, res) => {
        open(res);
        res.write('id: 5\ndata: second\n\n');
      },
    );
    const started = performance.now();
    const events = await collect(url, 2, { headers: () => ({ authorization: 'Bearer t0k3n' }) });
    expect(events.map((e) => e.data)).toEqual(['first', 'second']);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.headers['last-event-id']).toBeUndefined();
    expect(requests[1]?.headers['last-event-id']).toBe('4');
    expect(requests[1]?.headers.authorization).toBe('Bearer t0k3n');
    // Reconnected after the server's 50 ms, not the 5 s the client started with.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('reconnects after the server ends the stream, and stops when it then answers 204', async () => {
    const { url, requests } = await sseServer(
      (_req, res) => {
        open(res);
        res.end('retry: 20\nid: 9\nevent: job\ndata: {"state":"SUCCEEDED"}\n\n');
      },
      (_req, res) => {
        res.writeHead(204).end();
      },
    );
    const events: ServerSentEvent[] = [];
    await followEventStream({ url, onEvent: (e) => events.push(e) });
    expect(events).toEqual([{ type: 'job', data: '{"state":"SUCCEEDED"}', lastEventId: '9' }]);
    expect(requests[1]?.headers['last-event-id']).toBe('9');
  });

  it('fails without reconnecting on a refusal or an answer that is not an event stream', async () => {
    const refused = await sseServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":{}}');
    });
    await expect(followEventStream({ url: refused.url, onEvent: () => undefined })).rejects.toMatchObject({
      name: 'EventStreamError',
      status: 403,
    });
    expect(refused.requests).toHaveLength(1);
    const html = await sseServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>');
    });
    await expect(followEventStream({ url: html.url, onEvent: () => undefined })).rejects.toBeInstanceOf(
      EventStreamError,
    );
  });

  it('stops on abort while connected, delivering nothing after it', async () => {
    const { url } = await sseServer(async (_req, res) => {
      open(res);
      await writeApart(res, ['data: one\n\n', ': keep-alive\n\n', 'data: two\n\n', 'data: three\n\n']);
    });
    const events = await collect(url, 2);
    expect(events.map((e) => e.data)).toEqual(['one', 'two']);
  });

  it('stops on abort while waiting to reconnect', async () => {
    const { url, requests } = await sseServer((_req, res) => {
      open(res);
      res.end('retry: 60000\ndata: once\n\n');
    });
    const controller = new AbortController();
    const events: string[] = [];
    const done = followEventStream({
      url,
      signal: controller.signal,
      onEvent: (event) => events.push(event.data),
      // The stream ended: the client now waits the server's minute before reconnecting.
      onDrop: () => setTimeout(() => controller.abort(), 20),
    });
    await expect(done).resolves.toBeUndefined();
    expect(events).toEqual(['once']);
    expect(requests).toHaveLength(1);
  });
});
