import { type Bundle, CardfleetError, MAX_BUNDLE_BYTES, readZipBundle } from '@cardfleet/shared';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import type { Identity, Role, TokenVerifier } from '../auth/identity';
import type { Signer } from '../crypto/signer';
import type { EncodingStore } from '../encodings/encoding-store';
import { errorBody, forbidden, notFound, statusOf } from './api-error';

/**
 * The HTTP API (Hono). `createApp(deps)` builds it from ports only, so the same app
 * runs on Node (tests, `npm start`) and behind the Lambda adapter.
 */
export interface AppDeps {
  tokens: TokenVerifier;
  encodings: EncodingStore;
  audit: AuditLog;
  signer: Signer & { publicKey: Parameters<AuditLog['verify']>[0] };
}

type Env = { Variables: { identity: Identity } };

export const MAX_REQUEST_BYTES = 256 * 1024;

const BundleBodySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
  files: z.array(z.object({ name: z.string().min(1).max(128), base64: z.string() })).min(1),
});

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.onError((error, c) => {
    if (error instanceof CardfleetError) return c.json(errorBody(error), statusOf(error));
    console.error('unexpected error', error instanceof Error ? error.name : 'unknown');
    return c.json({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }, 500);
  });
  app.notFound((c) => c.json(errorBody(notFound('route')), 404));

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      onError: (c) =>
        c.json(
          errorBody(
            new CardfleetError('PAYLOAD_TOO_LARGE', `requests are limited to ${MAX_REQUEST_BYTES} bytes`),
          ),
          413,
        ),
    }),
  );
  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!token) throw new CardfleetError('UNAUTHENTICATED', 'a bearer token is required');
    c.set('identity', await deps.tokens.verify(token));
    await next();
  });
  const allow = (identity: Identity, ...roles: Role[]) => {
    if (!roles.includes(identity.role)) throw forbidden(`the ${identity.role} role may not do this`);
  };

  app.post('/v1/encodings', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin');
    let bundle: Bundle;
    let id: string;
    if ((c.req.header('content-type') ?? '').startsWith('application/zip')) {
      id = c.req.query('id') ?? '';
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id))
        throw new CardfleetError('REQUEST_INVALID', 'give the encoding id as ?id=');
      bundle = readZipBundle(new Uint8Array(await c.req.arrayBuffer()));
    } else {
      const body = BundleBodySchema.safeParse(await readJson(c.req.raw));
      if (!body.success)
        throw new CardfleetError('REQUEST_INVALID', 'the body must be { id, files: [{ name, base64 }] }', {
          details: { issues: body.error.issues },
        });
      id = body.data.id;
      bundle = {
        files: body.data.files.map((f) => ({
          name: f.name,
          bytes: new Uint8Array(Buffer.from(f.base64, 'base64')),
        })),
      };
    }
    if (bundle.files.reduce((n, f) => n + f.bytes.length, 0) > MAX_BUNDLE_BYTES) {
      throw new CardfleetError(
        'BUNDLE_TOO_LARGE',
        `a bundle is limited to ${MAX_BUNDLE_BYTES} bytes (it travels in one MQTT message)`,
      );
    }
    const created = await deps.encodings.push(id, bundle, {
      sub: identity.sub,
      ...(identity.office ? { office: identity.office } : {}),
    });
    return c.json(created, 201);
  });

  app.get('/v1/encodings', async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    return c.json({ items: await deps.encodings.list() });
  });

  app.get('/v1/encodings/:id', async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    const encoding = await deps.encodings.get(c.req.param('id'));
    if (!encoding) throw notFound(`encoding ${c.req.param('id')}`);
    return c.json(encoding);
  });

  app.get('/v1/encodings/:id/versions/:version', async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    const version = Number(c.req.param('version'));
    if (!Number.isInteger(version) || version < 1)
      throw new CardfleetError('REQUEST_INVALID', 'a version is a positive integer');
    const encoding = await deps.encodings.get(c.req.param('id'), version);
    if (!encoding) throw notFound(`encoding ${c.req.param('id')} version ${version}`);
    return c.json(encoding);
  });

  app.get('/v1/audit/verify', async (c) => {
    allow(c.get('identity'), 'admin', 'auditor');
    return c.json(await deps.audit.verify(deps.signer.publicKey));
  });

  return app;
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (cause) {
    throw new CardfleetError('REQUEST_INVALID', 'the body is not valid JSON', { cause });
  }
}
