import { PROMETHEUS_CONTENT_TYPE } from '@cardfleet/shared';
import type { CloudMetrics } from '../observability/cloud-metrics';
import type { App } from './context';

/**
 * Liveness, readiness and metrics (docs/cloud.md, "Health and metrics"). `/healthz`
 * answers while the process serves at all; `/readyz` asks each dependency — storage
 * (one cheap item read) and, where there is one, the broker publisher — and answers 503
 * naming the parts that are down, so a load balancer or `npm start` waits for them.
 * `/metrics` (Prometheus text) is served by the local cloud only: in AWS the API is
 * public and the figures go to CloudWatch as embedded-metric-format lines instead.
 */
export type ReadinessChecks = Readonly<Record<string, () => Promise<boolean> | boolean>>;

export function healthRoutes(
  app: App,
  options: { checks: ReadinessChecks; metrics: CloudMetrics; serveMetrics: boolean },
): void {
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const entries = await Promise.all(
      Object.entries(options.checks).map(async ([part, check]) => {
        const up = await Promise.resolve()
          .then(check)
          .catch(() => false);
        return [part, up ? 'up' : 'down'] as const;
      }),
    );
    const parts = Object.fromEntries(entries);
    const down = entries.filter(([, state]) => state === 'down').map(([part]) => part);
    return c.json(
      { ok: down.length === 0, parts, ...(down.length ? { down } : {}) },
      down.length ? 503 : 200,
    );
  });
  if (options.serveMetrics)
    app.get('/metrics', (c) =>
      c.text(options.metrics.registry.prometheusText(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
    );
}
