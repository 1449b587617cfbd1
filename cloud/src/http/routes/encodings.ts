import {
  type Bundle,
  CardfleetError,
  ID_PATTERN,
  MAX_BUNDLE_BYTES,
  PushEncodingSchema,
  readZipBundle,
} from '@cardfleet/shared';
import type { EncodingStore } from '../../encodings/encoding-store';
import { notFound } from '../api-error';
import { type App, allow, readJson } from '../context';

export function encodingRoutes(app: App, encodings: EncodingStore): void {
  app.post('/v1/encodings', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin');
    let bundle: Bundle;
    let id: string;
    if ((c.req.header('content-type') ?? '').startsWith('application/zip')) {
      id = c.req.query('id') ?? '';
      if (!ID_PATTERN.test(id)) throw new CardfleetError('REQUEST_INVALID', 'give the encoding id as ?id=');
      bundle = readZipBundle(new Uint8Array(await c.req.arrayBuffer()));
    } else {
      const body = PushEncodingSchema.safeParse(await readJson(c.req.raw));
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
    return c.json(
      await encodings.push(id, bundle, {
        sub: identity.sub,
        ...(identity.office ? { office: identity.office } : {}),
      }),
      201,
    );
  });

  app.get('/v1/encodings', async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    return c.json({ items: await encodings.list() });
  });

  app.get('/v1/encodings/:id', async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    const encoding = await encodings.get(c.req.param('id'));
    if (!encoding) throw notFound(`encoding ${c.req.param('id')}`);
    return c.json(encoding);
  });

  app.get('/v1/encodings/:id/versions/:version', async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    const version = Number(c.req.param('version'));
    if (!Number.isInteger(version) || version < 1)
      throw new CardfleetError('REQUEST_INVALID', 'a version is a positive integer');
    const encoding = await encodings.get(c.req.param('id'), version);
    if (!encoding) throw notFound(`encoding ${c.req.param('id')} version ${version}`);
    return c.json(encoding);
  });
}
