import { type KeySet, servedWireVersion } from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { JWK } from 'jose';
import type { Signer } from '../../crypto/signer';
import type { App } from '../context';
import { keySetDocuments } from '../key-set-document';
import { json } from '../openapi';

/**
 * The cloud's public signing keys: agents pin them at enrolment to verify job envelopes
 * (docs/security.md). The current key, the keys published ahead of a rotation and the
 * earlier ones still served while agents move on (rotation by kid).
 */
const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'Jwks' });

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  summary: "the cloud's public signing keys (RFC 7517 JWK Set)",
  security: [],
  responses: { 200: json(Jwks, 'the keys') },
});

const keySet = createRoute({
  method: 'get',
  path: '/.well-known/cardfleet-keyset.jws',
  summary: 'the same keys as a signed key-set update, in wire version ?v= (docs/messaging.md, "Versions")',
  security: [],
  request: { query: z.object({ v: z.string().optional() }) },
  responses: {
    200: { description: 'compact JWS', content: { 'application/jose': { schema: z.string() } } },
  },
});

export function wellKnownRoutes(app: App, keys: () => Promise<JWK[]>, signer: Signer): void {
  app.openapi(jwks, async (c) => c.json({ keys: (await keys()) as Record<string, unknown>[] }, 200));
  // The same keys as a signed key-set update (shared/src/messages/key-set.ts): agents take
  // it only when signed by a key they already pinned; in the wire version the agent asks
  // for with `?v=` (none: the previous version; docs/messaging.md, "Versions").
  // Signed once per key list and wire version (key-set-document.ts), not per request.
  const keySetDocument = keySetDocuments(signer);
  app.openapi(keySet, async (c) => {
    const jws = await keySetDocument(
      (await keys()) as KeySet['keys'],
      servedWireVersion(Number(c.req.valid('query').v) || undefined),
    );
    return c.text(jws, 200, { 'content-type': 'application/jose', 'cache-control': 'no-store' });
  });
}
