import { IdentityViewSchema } from '@cardfleet/shared';
import { createRoute } from '@hono/zod-openapi';
import type { App } from '../context';
import { json, refusals } from '../openapi';

const meRoute = createRoute({
  method: 'get',
  path: '/v1/me',
  summary: 'who the bearer token names, as the API sees it (role, office)',
  responses: { 200: json(IdentityViewSchema, 'the caller'), ...refusals },
});

/**
 * The caller's identity after verification and claim mapping (cloud/src/auth/): what the
 * console shows and offers. An IdP's own claim names never reach the browser's logic.
 */
export function meRoutes(app: App): void {
  app.openapi(meRoute, (c) => {
    const { sub, role, office } = c.get('identity');
    return c.json({ sub, role, ...(office ? { office } : {}) }, 200);
  });
}
