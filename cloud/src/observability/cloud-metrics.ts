import { type Labels, MetricsRegistry } from '@cardfleet/shared';

/**
 * The cloud's figures (docs/cloud.md, "Metrics"): API requests by route and status,
 * jobs created and finished by outcome, agent messages ingested by kind and outcome.
 * Locally they are served as Prometheus text at `/metrics`; in AWS every count also goes
 * to `onCount`, which writes it as a CloudWatch embedded-metric-format line
 * (embedded-metric-format.ts) — a Lambda instance's registry dies with it.
 */
export type CountHook = (metric: string, labels: Labels, by: number) => void;

export function cloudMetrics(options: { onCount?: CountHook } = {}) {
  const registry = new MetricsRegistry();
  const counted = (name: string, emfName: string, help: string) => {
    const counter = registry.counter(name, help);
    return {
      inc: (labels: Labels = {}, by = 1) => {
        counter.inc(labels, by);
        options.onCount?.(emfName, labels, by);
      },
      value: counter.value,
    };
  };
  return {
    registry,
    apiRequests: counted(
      'cardfleet_api_requests_total',
      'ApiRequests',
      'API calls answered, by method, route and status.',
    ),
    jobsCreated: counted('cardfleet_jobs_created_total', 'JobsCreated', 'Jobs created through the API.'),
    jobsFinished: counted(
      'cardfleet_jobs_finished_total',
      'JobsFinished',
      'Job results taken in for the first time, by outcome (the result status).',
    ),
    ingested: counted(
      'cardfleet_ingest_total',
      'AgentMessages',
      'Agent messages taken in, by kind (result, progress, presence) and outcome (ok, refused).',
    ),
  };
}

export type CloudMetrics = ReturnType<typeof cloudMetrics>;
