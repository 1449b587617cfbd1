import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CardfleetError, ErrorBodySchema } from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from './context';
import { json } from './openapi';

/**
 * The API's docs page (docs/api.md, "/docs"): Swagger UI on /openapi.json, its assets
 * served by the app itself from the `swagger-ui-dist` package — no CDN, so the page works
 * offline and loads nothing the app does not serve. No inline script: the page loads our
 * own initializer (DOCS_INIT), so the Content-Security-Policy allows scripts from 'self'
 * only (W3C CSP Level 3). Swagger UI sets style attributes, hence 'unsafe-inline' for
 * styles alone; its "try it out" calls this same origin (connect-src 'self').
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cardfleet API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/docs-init.js"></script>
</body>
</html>
`;

const DOCS_INIT = `// Swagger UI on this API's own document (docs/api.md); loaded as a file, not inline (CSP).
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** The files of `swagger-ui-dist` the page uses, and their types; nothing else is served from it. */
const PACKAGE_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;
type Asset = keyof typeof PACKAGE_ASSETS | 'docs-init.js';
const ASSETS = [...(Object.keys(PACKAGE_ASSETS) as (keyof typeof PACKAGE_ASSETS)[]), 'docs-init.js'] as const;

const page = createRoute({
  method: 'get',
  path: '/docs',
  summary: 'these docs (Swagger UI on /openapi.json)',
  security: [],
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
});
const asset = createRoute({
  method: 'get',
  path: '/docs/{asset}',
  summary: "the docs page's scripts, style sheet and icon",
  security: [],
  request: { params: z.object({ asset: z.enum(ASSETS) }) },
  responses: {
    200: {
      description: 'the file',
      content: {
        'text/javascript': { schema: z.string() },
        'text/css': { schema: z.string() },
        'image/png': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
    404: json(ErrorBodySchema, 'no such asset'),
  },
});

/**
 * Where `swagger-ui-dist` lies at run time: node_modules locally, and in the Lambda the
 * package SST installs beside the bundle (sst.config.ts, the Api function's `nodejs.install`).
 */
export function swaggerUiDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

export function docsRoutes(app: App, directory: () => string = swaggerUiDirectory): void {
  const cache = new Map<Asset, Uint8Array<ArrayBuffer>>();
  const headers = (type: string) => ({
    'content-type': type,
    'content-security-policy': DOCS_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'public, max-age=3600',
  });

  app.openapi(page, (c) => c.body(PAGE, 200, headers('text/html; charset=utf-8')));

  app.openapi(
    asset,
    async (c) => {
      const name = c.req.valid('param').asset;
      if (name === 'docs-init.js')
        return c.body(DOCS_INIT, 200, headers(PACKAGE_ASSETS['swagger-ui-bundle.js']));
      let bytes = cache.get(name);
      if (!bytes) {
        bytes = new Uint8Array(await readFile(join(directory(), name)));
        cache.set(name, bytes);
      }
      return c.body(bytes, 200, headers(PACKAGE_ASSETS[name]));
    },
    (result): undefined => {
      if (!result.success) throw new CardfleetError('NOT_FOUND', 'no such docs asset');
      return undefined;
    },
  );
}
