import { randomUUID } from 'node:crypto';
import type { Logger } from '@cardfleet/shared';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { CloudMetrics } from '../observability/cloud-metrics';
import type { Env } from './context';

/**
 * Every API call gets a request id — the caller's `x-request-id` when it is a sane token
 * (a proxy or the CLI may set one), else a fresh UUID — echoed in the answer's
 * `x-request-id`, kept on the context for the routes (a created job carries it to the
 * agent; docs/cloud.md, "Logs") and written in one log line when the answer leaves:
 * method, route pattern, status, duration. No header, query or body is logged.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdOf(header: string | undefined): string {
  return header && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

export function requestLog(
  logger: Logger,
  metrics: CloudMetrics,
  nowMs: () => number,
): MiddlewareHandler<Env> {
  return async (c, next) => {
    const started = nowMs();
    const requestId = requestIdOf(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    c.set('log', logger.child({ requestId }));
    await next();
    c.header(REQUEST_ID_HEADER, requestId);
    // The pattern that answered (`/v1/jobs/:id`), never the path: ids stay out of metric
    // labels. A path no route takes is named by the middleware that saw it last (`*`).
    const route = routeOf(c);
    const status = String(c.res.status);
    metrics.apiRequests.inc({ method: c.req.method, route, status });
    const fields = {
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs: nowMs() - started,
      requestId,
    };
    if (c.res.status >= 500) logger.error('api call', fields);
    else logger.info('api call', fields);
  };
}

function routeOf(c: Parameters<MiddlewareHandler<Env>>[0]): string {
  const routes = matchedRoutes(c);
  return routes[c.req.routeIndex]?.path ?? routes.at(-1)?.path ?? 'unmatched';
}
