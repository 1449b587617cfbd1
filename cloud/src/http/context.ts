import { CardfleetError, type Logger } from '@cardfleet/shared';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Identity, Role } from '../auth/identity';
import { forbidden } from './api-error';

/** Shared plumbing of the route modules. */
/** `requestId` and `log` (bound to it) are set for every call by request-log.ts. */
export type Env = { Variables: { identity: Identity; requestId: string; log: Logger } };
/** Routes are declared with their schemas (openapi.ts), so the app is an OpenAPIHono. */
export type App = OpenAPIHono<Env>;

export function allow(identity: Identity, ...roles: Role[]): void {
  if (!roles.includes(identity.role)) throw forbidden(`the ${identity.role} role may not do this`);
}

/** Operators act for their own office only; admins and auditors see every office. */
export function assertOffice(identity: Identity, office: string): void {
  if (identity.role === 'operator' && identity.office !== office)
    throw forbidden(`operators of ${identity.office} may not act for ${office}`);
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (cause) {
    throw new CardfleetError('REQUEST_INVALID', 'the body is not valid JSON', { cause });
  }
}
