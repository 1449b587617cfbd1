import {
  type Bundle,
  CardfleetError,
  EncodingDiffQuerySchema,
  EncodingDiffSchema,
  EncodingListSchema,
  EncodingPushedSchema,
  EncodingVersionViewSchema,
  ID_PATTERN,
  MAX_BUNDLE_BYTES,
  PushEncodingSchema,
  readZipBundle,
} from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { encodingDiff } from '../../encodings/encoding-diff';
import type { EncodingStore } from '../../encodings/encoding-store';
import { notFound } from '../api-error';
import type { App } from '../context';
import { json, notFoundAnswer, refusals, rejectInvalid, roles, tooLargeAnswer } from '../openapi';

/**
 * Encodings (docs/cloud.md): an admin pushes bundles; readers get each version's
 * redacted view (secret literals masked, docs/security.md) and diffs of two of them.
 */
const PUSH_INVALID = 'the body must be { id, files: [{ name, base64 }] }';
const READERS = ['admin', 'operator', 'auditor'] as const;
const IdParams = z.object({ id: z.string() });
const VersionParams = z.object({ id: z.string(), version: z.coerce.number().int().positive() });

const push = createRoute({
  method: 'post',
  path: '/v1/encodings',
  summary: 'push an encoding bundle (admin): JSON files, or a zip with ?id=',
  middleware: [roles('admin')] as const,
  request: {
    query: z.object({ id: z.string().optional() }),
    body: {
      content: {
        'application/json': { schema: PushEncodingSchema },
        'application/zip': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
  },
  responses: {
    201: json(EncodingPushedSchema, 'the new version'),
    ...refusals,
    ...tooLargeAnswer,
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/encodings',
  summary: 'list encodings and their latest versions',
  middleware: [roles(...READERS)] as const,
  responses: { 200: json(EncodingListSchema, 'encodings'), ...refusals },
});

const latest = createRoute({
  method: 'get',
  path: '/v1/encodings/{id}',
  summary: 'the latest version, secrets redacted',
  middleware: [roles(...READERS)] as const,
  request: { params: IdParams },
  responses: { 200: json(EncodingVersionViewSchema, 'the latest version'), ...refusals, ...notFoundAnswer },
});

const version = createRoute({
  method: 'get',
  path: '/v1/encodings/{id}/versions/{version}',
  summary: 'one version, secrets redacted',
  middleware: [roles(...READERS)] as const,
  request: { params: VersionParams },
  responses: { 200: json(EncodingVersionViewSchema, 'that version'), ...refusals, ...notFoundAnswer },
});

const diff = createRoute({
  method: 'get',
  path: '/v1/encodings/{id}/diff',
  summary: 'a unified diff of two versions, per file, from their redacted views',
  middleware: [roles(...READERS)] as const,
  request: { params: IdParams, query: EncodingDiffQuerySchema },
  responses: { 200: json(EncodingDiffSchema, 'the files that differ'), ...refusals, ...notFoundAnswer },
});

export function encodingRoutes(app: App, encodings: EncodingStore): void {
  app.openapi(
    push,
    async (c) => {
      const identity = c.get('identity');
      let bundle: Bundle;
      let id: string;
      if ((c.req.header('content-type') ?? '').startsWith('application/zip')) {
        id = c.req.valid('query').id ?? '';
        if (!ID_PATTERN.test(id)) throw new CardfleetError('REQUEST_INVALID', 'give the encoding id as ?id=');
        bundle = readZipBundle(new Uint8Array(await c.req.arrayBuffer()));
      } else {
        // Validated already when the content-type says JSON; a request without one lands here too.
        const body = PushEncodingSchema.safeParse(c.req.valid('json'));
        if (!body.success)
          throw new CardfleetError('REQUEST_INVALID', PUSH_INVALID, {
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
      const actor = { sub: identity.sub, ...(identity.office ? { office: identity.office } : {}) };
      return c.json(await encodings.push(id, bundle, actor), 201);
    },
    rejectInvalid(PUSH_INVALID, { issues: true }),
  );

  app.openapi(list, async (c) => c.json({ items: await encodings.list() }, 200));

  app.openapi(latest, async (c) => {
    const { id } = c.req.valid('param');
    const encoding = await encodings.get(id);
    if (!encoding) throw notFound(`encoding ${id}`);
    return c.json(encoding, 200);
  });

  app.openapi(
    version,
    async (c) => {
      const { id, version } = c.req.valid('param');
      const encoding = await encodings.get(id, version);
      if (!encoding) throw notFound(`encoding ${id} version ${version}`);
      return c.json(encoding, 200);
    },
    rejectInvalid('a version is a positive integer'),
  );

  // Both sides are the redacted views a GET of each version answers (encoding-diff.ts).
  app.openapi(
    diff,
    async (c) => {
      const { id } = c.req.valid('param');
      const { from, to } = c.req.valid('query');
      const [a, b] = await Promise.all([encodings.get(id, from), encodings.get(id, to)]);
      if (!a) throw notFound(`encoding ${id} version ${from}`);
      if (!b) throw notFound(`encoding ${id} version ${to}`);
      return c.json(encodingDiff(a, b), 200);
    },
    rejectInvalid('give two versions: ?from=N&to=M (positive integers)'),
  );
}
