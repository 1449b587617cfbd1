import { PROMETHEUS_CONTENT_TYPE } from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { CloudMetrics } from '../observability/cloud-metrics';
import type { App } from './context';
import { json } from './openapi';

/**
 * Liveness, readiness and metrics (docs/cloud.md, "Health and metrics"). `/healthz`
 * answers while the process serves at all; `/readyz` asks each dependency — storage
 * (one cheap item read) and, where there is one, the broker publisher — and answers 503
 * naming the parts that are down, so a load balancer or `npm start` waits for them.
 * `/metrics` (Prometheus text) is served by the local cloud only: in AWS the API is
 * public and the figures go to CloudWatch as embedded-metric-format lines instead.
 */
export type ReadinessChecks = Readonly<Record<string, () => Promise<boolean> | boolean>>;

const Readiness = z
  .object({
    ok: z.boolean(),
    parts: z.record(z.string(), z.enum(['up', 'down'])),
    down: z.array(z.string()).optional(),
  })
  .meta({ id: 'Readiness' });

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'alive: the process serves',
  security: [],
  responses: { 200: json(z.object({ ok: z.literal(true) }), 'alive') },
});
const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  summary: 'ready: storage and the broker answer',
  security: [],
  responses: { 200: json(Readiness, 'every part up'), 503: json(Readiness, 'the parts that are down') },
});
const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  summary: 'the counters as Prometheus text (the local cloud only)',
  security: [],
  responses: {
    200: {
      description: 'Prometheus text format 0.0.4',
      content: { [PROMETHEUS_CONTENT_TYPE]: { schema: z.string() } },
    },
  },
});

export function healthRoutes(
  app: App,
  options: { checks: ReadinessChecks; metrics: CloudMetrics; serveMetrics: boolean },
): void {
  app.openapi(healthz, (c) => c.json({ ok: true as const }, 200));
  app.openapi(readyz, async (c) => {
    const entries = await Promise.all(
      Object.entries(options.checks).map(async ([part, check]) => {
        const up = await Promise.resolve()
          .then(check)
          .catch(() => false);
        return [part, up ? 'up' : 'down'] as const;
      }),
    );
    const parts: Record<string, 'up' | 'down'> = Object.fromEntries(entries);
    const down = entries.filter(([, state]) => state === 'down').map(([part]) => part);
    return down.length ? c.json({ ok: false, parts, down }, 503) : c.json({ ok: true, parts }, 200);
  });
  if (options.serveMetrics)
    app.openapi(metricsRoute, (c) =>
      c.text(options.metrics.registry.prometheusText(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
    );
}
