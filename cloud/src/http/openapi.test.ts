import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import type { Env } from './context';
import { DOCS_CSP } from './docs-page';
import { openApiDocument } from './openapi';

/** `METHOD /path` of every route the app serves (Hono's `:param` as OpenAPI's `{param}`). */
function servedRoutes(app: { routes: readonly { method: string; path: string }[] }): string[] {
  // Middleware (`app.use`) is registered for ALL methods; a route is one method and path.
  const routes = app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** `METHOD /path` of every operation the document describes. */
function documentedRoutes(document: { paths?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths ?? {})
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

describe('the OpenAPI document', () => {
  it('lists exactly the routes the app serves, and every one it lists is served', async () => {
    for (const serveMetrics of [false, true]) {
      const { cloud } = await memoryCloud({ serveMetrics });
      const document = (await (await cloud.app.request('/openapi.json')).json()) as Parameters<
        typeof documentedRoutes
      >[0];
      expect(documentedRoutes(document)).toEqual(servedRoutes(cloud.app));
      expect(servedRoutes(cloud.app)).toContain('GET /v1/jobs/{id}');
      expect(servedRoutes(cloud.app).includes('GET /metrics')).toBe(serveMetrics);
    }
  });

  it('would miss a route added without its declaration (the comparison catches it)', () => {
    const app = new OpenAPIHono<Env>();
    app.openapi(
      createRoute({
        method: 'get',
        path: '/v1/declared/{id}',
        request: { params: z.object({ id: z.string() }) },
        responses: { 200: { description: 'ok' } },
      }),
      (c) => c.body(null, 200),
    );
    app.post('/v1/undeclared', (c) => c.body(null, 204));
    const document = openApiDocument(app) as Parameters<typeof documentedRoutes>[0];
    expect(servedRoutes(app)).toEqual(['GET /v1/declared/{id}', 'POST /v1/undeclared']);
    expect(documentedRoutes(document)).toEqual(['GET /v1/declared/{id}']);
  });

  it('describes answers by their schemas: typed query parameters, named response bodies', async () => {
    const { cloud } = await memoryCloud();
    // biome-ignore lint/suspicious/noExplicitAny: the document is walked field by field
    const document = (await (await cloud.app.request('/openapi.json')).json()) as any;
    expect(
      document.paths['/v1/jobs/{id}/retry'].post.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/JobMoved',
    });
    const limit = document.paths['/v1/jobs'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', maximum: 500 });
    expect(document.components.schemas.JobView.properties.state.enum).toContain('QUEUED');
    expect(document.components.schemas.EncodingDiff.required).toEqual(
      expect.arrayContaining(['files', 'diff', 'redacted']),
    );
    // Routes that take no bearer token say so; the rest inherit the document's bearer scheme.
    expect(document.paths['/v1/enrol'].post.security).toEqual([]);
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.components.securitySchemes.bearer.scheme).toBe('bearer');
  });
});

describe('the docs page', () => {
  it('serves Swagger UI from the app itself, with no inline script, under a Content-Security-Policy', async () => {
    const { cloud } = await memoryCloud();
    const page = await cloud.app.request('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(DOCS_CSP).toContain("script-src 'self'");
    expect(DOCS_CSP).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((s) => s[1]?.trim())).toEqual([
      'src="/docs/swagger-ui-bundle.js"',
      'src="/docs/docs-init.js"',
    ]);
    expect(scripts.every((s) => s[2] === '')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);

    for (const [path, type, marker] of [
      ['/docs/swagger-ui-bundle.js', 'text/javascript', 'SwaggerUIBundle'],
      ['/docs/swagger-ui.css', 'text/css', '.swagger-ui'],
      ['/docs/docs-init.js', 'text/javascript', "url: '/openapi.json'"],
    ] as const) {
      const asset = await cloud.app.request(path);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
      expect(asset.headers.get('content-security-policy')).toBe(DOCS_CSP);
      expect(await asset.text()).toContain(marker);
    }
    const icon = await cloud.app.request('/docs/favicon-32x32.png');
    expect(new Uint8Array(await icon.arrayBuffer()).subarray(1, 4)).toEqual(new TextEncoder().encode('PNG'));
  });

  it('serves nothing else of the package (no path out of the asset list)', async () => {
    const { cloud } = await memoryCloud();
    for (const path of [
      '/docs/index.html',
      '/docs/package.json',
      '/docs/..%2Fpackage.json',
      '/docs/oauth2-redirect.html',
    ]) {
      const response = await cloud.app.request(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});
