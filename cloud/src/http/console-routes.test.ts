import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import { consoleCsp, consoleRoutes } from './console-routes';
import type { Env } from './context';

const built = mkdtempSync(join(tmpdir(), 'cardfleet-console-'));
writeFileSync(join(built, 'index.html'), '<!doctype html><div id="app"></div>');
writeFileSync(join(built, 'app.js'), 'console.log(1)');
writeFileSync(join(built, 'app.css'), 'body{}');
afterAll(() => rmSync(built, { recursive: true, force: true }));

function consoleApp(oidcIssuer?: string) {
  const app = new OpenAPIHono<Env>();
  app.onError((error, c) => c.json({ code: (error as { code?: string }).code }, 404));
  consoleRoutes(app, {
    directory: built,
    config: {
      localLinks: true,
      ...(oidcIssuer
        ? { oidc: { issuer: oidcIssuer, clientId: 'console', scopes: ['openid'], audience: 'cardfleet-api' } }
        : {}),
    },
  });
  return app;
}

describe('the web console', () => {
  it('answers its page at every console address, so a pasted link to a job opens the console', async () => {
    const app = consoleApp();
    for (const path of ['/console/', '/console/jobs', '/console/jobs/j-1', '/console/encodings/perso']) {
      const answer = await app.request(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await answer.text()).toContain('<div id="app">');
    }
    const bare = await app.request('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('forbids inline script and style and every other origin, on the page and its files', async () => {
    const app = consoleApp();
    for (const path of ['/console/', '/console/assets/app.js', '/console/assets/app.css']) {
      const csp = (await app.request(path)).headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).not.toContain('unsafe-eval');
      expect(csp, path).toContain("frame-ancestors 'none'");
    }
  });

  it('lets the page reach the OpenID provider for the token exchange, and nothing else', async () => {
    const csp = (await consoleApp('https://login.example.org/realms/x').request('/console/')).headers.get(
      'content-security-policy',
    );
    expect(csp).toContain("connect-src 'self' https://login.example.org;");
    expect(consoleCsp()).toContain("connect-src 'self';");
  });

  it('serves its script and style sheet with their types, and nothing else from the build folder', async () => {
    const app = consoleApp();
    const script = await app.request('/console/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await app.request('/console/assets/app.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await app.request('/console/assets/build-inputs.json')).status).toBe(404);
    expect((await app.request('/console/assets/..%2Findex.html')).status).toBe(404);
  });

  it('sends its files compressed to a browser that accepts gzip, and plain to one that does not', async () => {
    writeFileSync(join(built, 'app.js'), 'console.log("cardfleet");\n'.repeat(200));
    const app = consoleApp();
    const zipped = await app.request('/console/assets/app.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const plain = await app.request('/console/assets/app.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('cardfleet');
  });

  it('publishes how to sign in, without any secret', async () => {
    const answer = await consoleApp('https://login.example.org').request('/console/config.json');
    expect(await answer.json()).toEqual({
      localLinks: true,
      oidc: {
        issuer: 'https://login.example.org',
        clientId: 'console',
        scopes: ['openid'],
        audience: 'cardfleet-api',
      },
    });
  });
});

describe('GET /v1/me', () => {
  it('names the caller as the API sees it: subject, role and office', async () => {
    const { call, tokens } = await memoryCloud();
    const operator = await call('GET', '/v1/me', { token: tokens.operatorBerlin });
    expect(await operator.json()).toEqual({ sub: 'otto', role: 'operator', office: 'berlin' });
    const admin = await call('GET', '/v1/me', { token: tokens.admin });
    expect(await admin.json()).toEqual({ sub: 'alice', role: 'admin' });
    expect((await call('GET', '/v1/me')).status).toBe(401);
  });
});
