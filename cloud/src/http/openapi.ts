import { CardfleetError, ErrorBodySchema } from '@cardfleet/shared';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import type { Role } from '../auth/identity';
import { allow, type Env } from './context';

/**
 * How a route declares itself (docs/api.md): each is a `createRoute` of @hono/zod-openapi
 * with its zod request and response schemas (shared/src/messages/api-schemas.ts), mounted
 * with `app.openapi(route, handler, rejectInvalid('…'))`. The validators run from those
 * schemas, the handler's answers are type-checked against them, and /openapi.json is
 * generated from the same declarations — a route cannot be served without being listed.
 */

/** A JSON body or answer of this schema. */
export const json = <T extends z.ZodType>(schema: T, description = '') => ({
  content: { 'application/json': { schema } },
  description,
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});

const error = (description: string) => json(ErrorBodySchema, description);
/** The refusals every authenticated route may answer, all with the one error body (api-error.ts). */
export const refusals = {
  400: error('invalid input'),
  401: error('missing or invalid bearer token'),
  403: error('the role or office may not do this'),
  503: error('a write kept losing, or a dependency failed: try again after Retry-After'),
} as const;
export const notFoundAnswer = { 404: error('not found') } as const;
export const conflictAnswer = { 409: error('conflicts with the current state') } as const;
export const tooLargeAnswer = { 413: error('request too large') } as const;

/**
 * The route's roles, checked before its input is validated — a caller without the role
 * learns nothing about what the route accepts (403 before 400, as before the schemas).
 */
export const roles = (...allowed: Role[]): MiddlewareHandler<Env> =>
  async function requireRole(c, next) {
    allow(c.get('identity'), ...allowed);
    await next();
  };

/**
 * The validation hook: a zod failure becomes REQUEST_INVALID with the route's own message
 * (and the issues, where the route gave them before), so validation answers the API's one
 * error body instead of zod's.
 */
export const rejectInvalid =
  (message: string, options: { issues?: boolean } = {}) =>
  (result: { success: boolean; error?: { issues: readonly unknown[] } }): undefined => {
    if (result.success) return undefined;
    throw new CardfleetError(
      'REQUEST_INVALID',
      message,
      options.issues ? { details: { issues: result.error?.issues ?? [] } } : {},
    );
  };

/** The default hook: the first issue's message, for routes that name none of their own. */
export const defaultHook = (result: {
  success: boolean;
  error?: { issues: readonly { message: string }[] };
}): undefined => {
  if (result.success) return undefined;
  throw new CardfleetError('REQUEST_INVALID', result.error?.issues[0]?.message ?? 'invalid request');
};

/**
 * The validators' own refusals (hono/validator: malformed JSON; @hono/zod-openapi: a body
 * that is not JSON) as the API's typed error, so they answer the one error body too.
 */
export function fromHttpException(error: Error): Error {
  if (!(error instanceof HTTPException) || error.status >= 500) return error;
  const message =
    error.status === 415
      ? 'the body must be JSON (content-type: application/json)'
      : error.status === 400
        ? 'the body is not valid JSON'
        : error.message;
  return new CardfleetError('REQUEST_INVALID', message, { cause: error });
}

/** The OpenAPI 3.1 document of every route declared on `app` so far, as the JSON it is served as. */
export function openApiDocument(app: OpenAPIHono<Env>): Record<string, unknown> {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'cardfleet API',
      version: '1',
      description: 'Generated from the routes and their zod schemas (docs/api.md).',
    },
    security: [{ bearer: [] }],
  });
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}
