import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CardfleetError, type ConsoleSignIn, ConsoleSignInSchema, ErrorBodySchema } from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import type { App } from './context';
import { json } from './openapi';

/**
 * The web console (docs/console.md): a single-page app built by scripts/build-console.mjs
 * into cloud/dist/console/, served here at /console/. Every address under /console/ answers
 * the same page (the app routes in the browser); its script and style sheet come from
 * /console/assets/. The CSP allows nothing but this origin (and the OpenID provider for
 * the token exchange): no inline script or style, no third party (W3C CSP Level 3).
 */
export function consoleCsp(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectOrigins].join(' '),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface ConsoleDeps {
  /** Where the built console lies (default: cloud/dist/console beside this package's dist/ or src/). */
  directory?: string;
  /** How people sign in here (console-config.ts). */
  config: ConsoleSignIn;
}

/** cloud/src/http/ and cloud/dist/node/ are both two folders below cloud/. */
export const defaultConsoleDirectory = () => fileURLToPath(new URL('../../dist/console', import.meta.url));

const ASSETS = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.css.map': 'application/json; charset=utf-8',
} as const;
type Asset = keyof typeof ASSETS;

const html = { description: 'the console page', content: { 'text/html': { schema: z.string() } } };
const pageRoute = createRoute({
  method: 'get',
  path: '/console/',
  summary: 'the web console (docs/console.md)',
  security: [],
  responses: { 200: html },
});
const deepRoute = createRoute({
  method: 'get',
  path: '/console/{page}',
  summary: "the web console at one of its pages' addresses (the same page; the browser routes)",
  security: [],
  request: { params: z.object({ page: z.string() }) },
  responses: { 200: html },
});
const subPageRoute = createRoute({
  method: 'get',
  path: '/console/{page}/{id}',
  summary: 'the web console at an item page (an encoding, a job, a batch)',
  security: [],
  request: { params: z.object({ page: z.string(), id: z.string() }) },
  responses: { 200: html },
});
const assetRoute = createRoute({
  method: 'get',
  path: '/console/assets/{asset}',
  summary: "the console's script and style sheet",
  security: [],
  request: { params: z.object({ asset: z.enum(Object.keys(ASSETS) as [Asset, ...Asset[]]) }) },
  responses: {
    200: {
      description: 'the file',
      content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() } },
    },
    404: json(ErrorBodySchema, 'no such asset'),
  },
});
const bareRoute = createRoute({
  method: 'get',
  path: '/console',
  summary: 'the web console: redirects to /console/',
  security: [],
  responses: { 301: { description: 'to /console/' } },
});
const configRoute = createRoute({
  method: 'get',
  path: '/console/config.json',
  summary: 'how people sign in to this console (public; no secret)',
  security: [],
  responses: { 200: json(ConsoleSignInSchema, 'the sign-in settings') },
});

export function consoleRoutes(app: App, deps: ConsoleDeps): void {
  const directory = deps.directory ?? defaultConsoleDirectory();
  const issuerOrigin = deps.config.oidc ? [new URL(deps.config.oidc.issuer).origin] : [];
  const csp = consoleCsp(issuerOrigin);
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  const read = async (name: string) => {
    let bytes = cache.get(name);
    if (!bytes) {
      try {
        bytes = new Uint8Array(await readFile(join(directory, name)));
      } catch (cause) {
        throw new CardfleetError('NOT_FOUND', 'the console is not built here (npm run build)', { cause });
      }
      cache.set(name, bytes);
    }
    return bytes;
  };
  const headers = (type: string) => ({
    'content-type': type,
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The page and its files change with each build: revalidate rather than cache blind.
    'cache-control': 'no-cache',
  });
  const page = async () =>
    new Response(await read('index.html'), { status: 200, headers: headers('text/html; charset=utf-8') });

  // The page and its files go compressed to browsers that ask (gzip; most of the first load is the bundle).
  app.use('/console/*', compress());
  app.openapi(bareRoute, (c) => c.redirect('/console/', 301));
  app.openapi(configRoute, (c) => c.json(deps.config, 200, { 'cache-control': 'no-cache' }));
  app.openapi(
    assetRoute,
    async (c) => {
      const name = c.req.valid('param').asset;
      return c.body(await read(name), 200, headers(ASSETS[name]));
    },
    (result): undefined => {
      if (!result.success) throw new CardfleetError('NOT_FOUND', 'no such console asset');
      return undefined;
    },
  );
  app.openapi(pageRoute, page as never);
  app.openapi(deepRoute, page as never);
  app.openapi(subPageRoute, page as never);
}
