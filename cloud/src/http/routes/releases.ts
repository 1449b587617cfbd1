import {
  ApprovalSchema,
  CardfleetError,
  CreateReleaseSchema,
  EncodingParamsSchema,
  EncodingVersionParamsSchema,
  ErrorBodySchema,
  EVERY_OFFICE,
  type Release,
  ReleaseActionSchema,
  ReleaseListQuerySchema,
  ReleaseListSchema,
  ReleaseParamsSchema,
  ReleaseSchema,
  RunnableQuerySchema,
  RunnableSchema,
  VersionLifecycleSchema,
} from '@cardfleet/shared';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import type { Identity } from '../../auth/identity';
import type { ReleaseGate } from '../../releases/release-gate';
import type { ReleaseStore } from '../../releases/release-store';
import { notFound } from '../api-error';
import { allow, type Env } from '../context';

/**
 * Releases over HTTP (docs/releases.md): approval by a second admin, releases in stages,
 * the admins' transitions, and what an office may run. Declared with createRoute, so the
 * schemas (shared/src/releases/release-schemas.ts) both validate and describe the routes.
 */
export interface ReleaseDeps {
  store: ReleaseStore;
  gate: ReleaseGate;
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const refusals = Object.fromEntries(
  ['400', '401', '403', '404', '409'].map((status) => [status, json(ErrorBodySchema, 'refused')]),
) as Record<'400' | '401' | '403' | '404' | '409', ReturnType<typeof json<typeof ErrorBodySchema>>>;
const actionBody = { content: { 'application/json': { schema: ReleaseActionSchema } } };

const route = <R extends RouteConfig>(config: R) => createRoute(config);
const lifecycleRoute = route({
  method: 'get',
  path: '/v1/encodings/{id}/versions/{version}/lifecycle',
  summary: "a version's lifecycle: draft, approved, released, retired",
  request: { params: EncodingVersionParamsSchema },
  responses: { 200: json(VersionLifecycleSchema, 'the lifecycle'), ...refusals },
});
const approveRoute = route({
  method: 'post',
  path: '/v1/encodings/{id}/versions/{version}/approve',
  summary: 'approve a draft (admin; never the admin who pushed it)',
  request: { params: EncodingVersionParamsSchema },
  responses: { 200: json(ApprovalSchema, 'approved; the version it replaces, for the diff'), ...refusals },
});
const releaseRoute = route({
  method: 'post',
  path: '/v1/encodings/{id}/versions/{version}/releases',
  summary: 'release an approved version to offices in stages, canary first (admin)',
  request: {
    params: EncodingVersionParamsSchema,
    body: { content: { 'application/json': { schema: CreateReleaseSchema } }, required: true },
  },
  responses: { 201: json(ReleaseSchema, 'the release, at its first stage'), ...refusals },
});
const retireRoute = route({
  method: 'post',
  path: '/v1/encodings/{id}/versions/{version}/retire',
  summary: 'retire a version no office runs (admin)',
  request: { params: EncodingVersionParamsSchema, body: actionBody },
  responses: { 200: json(VersionLifecycleSchema, 'retired'), ...refusals },
});
const runnableRoute = route({
  method: 'get',
  path: '/v1/encodings/{id}/runnable',
  summary: "the versions an office may run (operators: their office's)",
  request: { params: EncodingParamsSchema, query: RunnableQuerySchema },
  responses: { 200: json(RunnableSchema, 'runnable versions'), ...refusals },
});
const listRoute = route({
  method: 'get',
  path: '/v1/releases',
  summary: "releases, HALTED ones with the reason (operators: their office's)",
  request: { query: ReleaseListQuerySchema },
  responses: { 200: json(ReleaseListSchema, 'releases'), ...refusals },
});
const getRoute = route({
  method: 'get',
  path: '/v1/releases/{rid}',
  summary: 'a release with its counts and history',
  request: { params: ReleaseParamsSchema },
  responses: { 200: json(ReleaseSchema, 'the release'), ...refusals },
});
const actionRoute = (action: 'promote' | 'halt' | 'resume' | 'rollback', summary: string) =>
  route({
    method: 'post',
    path: `/v1/releases/{rid}/${action}`,
    summary,
    request: { params: ReleaseParamsSchema, body: actionBody },
    responses: { 200: json(ReleaseSchema, 'the release after the move'), ...refusals },
  });

/** A release an operator may see: one that reached their office (or every office). */
const reaches = (release: Release, identity: Identity) =>
  identity.role !== 'operator' || release.offices.some((o) => o === identity.office || o === EVERY_OFFICE);

export function releaseRoutes(deps: ReleaseDeps): OpenAPIHono<Env> {
  // Validation failures answer like every other refusal (api-error.ts): 400 REQUEST_INVALID.
  const app = new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success)
        throw new CardfleetError('REQUEST_INVALID', 'the request does not match the route', {
          details: { issues: result.error.issues },
        });
    },
  });
  // Some clients say JSON even when they send no body: an action without one is `{}`.
  const emptyIsNothing: MiddlewareHandler<Env> = async (c, next) => {
    if (c.req.method === 'POST' && (await c.req.text()).trim() === '')
      (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve('{}');
    await next();
  };
  app.use('/v1/releases/:rid/:action', emptyIsNothing);
  app.use('/v1/encodings/:id/versions/:version/:action', emptyIsNothing);
  // A body that is not JSON is refused like any other bad request (api-error.ts), not as INTERNAL.
  app.onError((error) => {
    if (error instanceof HTTPException && error.status === 400)
      throw new CardfleetError('REQUEST_INVALID', 'the body is not valid JSON', { cause: error });
    throw error;
  });
  const admin = (c: { get(key: 'identity'): Identity }) => {
    const identity = c.get('identity');
    allow(identity, 'admin');
    return identity;
  };

  app.openapi(lifecycleRoute, async (c) => {
    allow(c.get('identity'), 'admin', 'operator', 'auditor');
    const { id, version } = c.req.valid('param');
    return c.json(await deps.store.lifecycles.view(id, version), 200);
  });
  app.openapi(approveRoute, async (c) => {
    const identity = admin(c);
    const { id, version } = c.req.valid('param');
    return c.json(await deps.store.lifecycles.approve(id, version, identity.sub), 200);
  });
  app.openapi(releaseRoute, async (c) => {
    const identity = admin(c);
    const { id, version } = c.req.valid('param');
    return c.json(await deps.store.create(id, version, c.req.valid('json'), identity.sub), 201);
  });
  app.openapi(retireRoute, async (c) => {
    const identity = admin(c);
    const { id, version } = c.req.valid('param');
    const { reason } = c.req.valid('json') ?? {};
    return c.json(await deps.store.retire(id, version, identity.sub, reason), 200);
  });
  app.openapi(runnableRoute, async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator', 'auditor');
    const asked = c.req.valid('query').office;
    const office = identity.role === 'operator' ? identity.office : asked;
    if (!office) throw new CardfleetError('REQUEST_INVALID', 'name the office: ?office=');
    if (identity.role === 'operator' && asked && asked !== office)
      throw new CardfleetError('FORBIDDEN', `operators of ${office} may not look at ${asked}`);
    return c.json(await deps.gate.runnable(c.req.valid('param').id, office), 200);
  });
  app.openapi(listRoute, async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator', 'auditor');
    const query = c.req.valid('query');
    const items = await deps.store.list({
      ...(query.encodingId ? { encodingId: query.encodingId } : {}),
      ...(query.state ? { state: query.state } : {}),
    });
    return c.json({ items: items.filter((r) => reaches(r, identity)) }, 200);
  });
  app.openapi(getRoute, async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator', 'auditor');
    const { rid } = c.req.valid('param');
    const release = await deps.store.get(rid);
    if (!release || !reaches(release, identity)) throw notFound(`release ${rid}`);
    return c.json(release, 200);
  });
  for (const [action, summary] of [
    ['promote', 'release to the next stage (admin)'],
    ['halt', 'halt: no new job, queued jobs held (admin)'],
    ['resume', 'resume a halted release; its counts start again (admin)'],
    ['rollback', 'put its offices back on the version they ran before (admin)'],
  ] as const)
    app.openapi(actionRoute(action, summary), async (c) => {
      const identity = admin(c);
      const { reason } = c.req.valid('json') ?? {};
      return c.json(await deps.store.act(c.req.valid('param').rid, action, identity.sub, reason), 200);
    });
  return app;
}
