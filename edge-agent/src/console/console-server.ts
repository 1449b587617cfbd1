import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CardfleetError, type ErrorCode, PROMETHEUS_CONTENT_TYPE } from '@cardfleet/shared';
import { z } from 'zod';
import { bearerMatches, isLoopbackHost } from './console-guard';
import { CONSOLE_PAGE } from './console-page';
import { PinAnswerSchema } from './console-schemas';
import { CONSOLE_SCRIPT } from './console-script';
import { CONSOLE_CSS } from './console-style';
import { renderPendingPins } from './pin-request-html';
import type { PinRequests } from './pin-requests';

/**
 * The operator console: a small HTTP server on loopback (PINs never leave the station)
 * where the operator sees pending PIN requests and answers them.
 *
 *   GET  /                          the page (no data; it reads the token from the URL fragment)
 *   GET  /console.js, /console.css  its script and style sheet (no data; files of their own so
 *                                   the CSP needs no 'unsafe-inline')
 *   GET  /api/pending               pending requests (no PINs in them), the requests that ended
 *                                   lately (`recent`: sent, card refused, expired…), and the open
 *                                   batch's line ("card 7 of 50 — insert the next card"; docs/batches.md)
 *   GET  /api/pending/:id/form      one request's form as HTML, escaped (pin-request-html.ts)
 *   POST /api/pending/:id/answer    { entries: [{ pin, confirmation, old?, transport? }] }
 *   POST /api/pending/:id/cancel
 *   GET  /metrics                   Prometheus text (no token: counts only; docs/edge-agent.md)
 *
 * API calls carry `authorization: Bearer <token>` (the token sits 0600 in the agent's
 * state directory, so other local users cannot answer); the custom header also keeps
 * cross-site pages from posting (no simple request), and the Host header must name
 * the loopback address, against DNS rebinding. Bodies are never logged.
 */
const MAX_BODY = 16 * 1024;

/**
 * Only the console's own files run or style the page; nothing inline, nothing else, and
 * no form may be sent anywhere (the script posts PINs with fetch, in a body; docs/security.md).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSETS: Record<string, { type: string; body: string }> = {
  '/': { type: 'text/html; charset=utf-8', body: CONSOLE_PAGE },
  '/console.js': { type: 'text/javascript; charset=utf-8', body: CONSOLE_SCRIPT },
  '/console.css': { type: 'text/css; charset=utf-8', body: CONSOLE_CSS },
};

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

export async function startConsoleServer(options: {
  requests: PinRequests;
  token: string;
  port?: number;
  /** Prometheus text for `GET /metrics` (agent-metrics.ts); none: not served. */
  metrics?: () => Promise<string>;
  /** What the open batch asks of the operator now (none: no batch). */
  batchStatus?: () => string | undefined;
}): Promise<ConsoleServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error) => send(res, ...problem(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    requests: PinRequests;
    token: string;
    metrics?: () => Promise<string>;
    batchStatus?: () => string | undefined;
  },
): Promise<void> {
  const port = req.socket.localPort;
  if (!isLoopbackHost(req.headers.host, port))
    throw new CardfleetError('CONSOLE_HOST', 'the console answers on 127.0.0.1 only');
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (req.method === 'GET') {
    const asset = ASSETS[path];
    if (asset) {
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-store',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      res.end(asset.body);
      return;
    }
  }
  // Counts and gauges only, no job data or secret: a local scraper needs no console token
  // (it answers on loopback, under the same Host check as the rest).
  if (req.method === 'GET' && path === '/metrics' && options.metrics) {
    const text = await options.metrics();
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(text);
    return;
  }
  if (!path.startsWith('/api/')) throw new CardfleetError('NOT_FOUND', `no ${path} here`);
  if (!bearerMatches(req.headers.authorization, options.token))
    throw new CardfleetError('CONSOLE_UNAUTHORISED', 'the console token is missing or wrong');
  if (req.method === 'GET' && path === '/api/pending')
    return send(res, 200, {
      pending: options.requests.pending(),
      recent: options.requests.recent(),
      batch: options.batchStatus?.(),
    });
  const form = /^\/api\/pending\/([\w-]{1,64})\/form$/.exec(path);
  if (req.method === 'GET' && form?.[1]) {
    const view = options.requests.view(form[1]);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(renderPendingPins(view, options.requests.secondsLeft(view)));
    return;
  }
  const action = /^\/api\/pending\/([\w-]{1,64})\/(answer|cancel)$/.exec(path);
  if (req.method === 'POST' && action?.[1] && action[2]) {
    if (action[2] === 'cancel') options.requests.cancel(action[1]);
    else {
      const body = PinAnswerSchema.safeParse(await readJson(req));
      if (!body.success)
        throw new CardfleetError(
          'PIN_ANSWER_INVALID',
          `the answer does not fit: ${z.prettifyError(body.error)}`,
        );
      options.requests.answer(
        action[1],
        body.data.entries.map((e) => ({
          pin: e.pin,
          confirmation: e.confirmation,
          ...(e.old === undefined ? {} : { old: e.old }),
          ...(e.transport === undefined ? {} : { transport: e.transport }),
        })),
      );
    }
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
    return;
  }
  throw new CardfleetError('NOT_FOUND', `no ${req.method} ${path} here`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new CardfleetError('BODY_TOO_LARGE', `the body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // The body may hold PINs: the parser's message (which quotes it) is not passed on.
    throw new CardfleetError('PIN_ANSWER_INVALID', 'the body is not JSON');
  }
}

/** The operator console's own statuses (its callers are the local prompt and browser, not API clients). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  CONSOLE_HOST: 421,
  NOT_FOUND: 404,
  CONSOLE_UNAUTHORISED: 401,
  PIN_REQUEST_UNKNOWN: 404,
  BODY_TOO_LARGE: 413,
};

function problem(error: unknown): [number, unknown] {
  if (error instanceof CardfleetError)
    return [STATUS[error.code] ?? 422, { error: { code: error.code, message: error.message } }];
  return [500, { error: { code: 'CONSOLE_ERROR', message: 'the console failed' } }];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
