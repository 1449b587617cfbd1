import { MetricsRegistry } from '@cardfleet/shared';
import type { ReaderPort, ReaderState } from '../readers/reader-port';

/**
 * The agent's figures as Prometheus text on its loopback console port, `GET /metrics`
 * (docs/edge-agent.md, "Metrics"): jobs by outcome, per-APDU latency, readers and cards
 * present, whether the broker connection is up, results waiting in the outbox. Gauges
 * are read at scrape time; reader states need pcscd, so `scrape` refreshes them first.
 */
export const APDU_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function agentMetrics(sources: {
  readers: ReaderPort;
  mqttConnected: () => boolean;
  outboxDepth: () => number;
}) {
  const registry = new MetricsRegistry();
  let readers: ReaderState[] = [];
  const jobs = registry.counter(
    'cardfleet_agent_jobs_total',
    'Job results reported, by outcome (the result status).',
  );
  const apdu = registry.histogram(
    'cardfleet_agent_apdu_seconds',
    'Time from sending a command APDU to its response, per exchange.',
    APDU_SECONDS_BUCKETS,
  );
  registry.gauge('cardfleet_agent_readers', 'Card readers present.', () => readers.length);
  registry.gauge(
    'cardfleet_agent_cards_present',
    'Readers with a card in them.',
    () => readers.filter((r) => r.cardPresent).length,
  );
  registry.gauge('cardfleet_agent_mqtt_connected', '1 while the broker connection is up.', () =>
    sources.mqttConnected() ? 1 : 0,
  );
  registry.gauge('cardfleet_agent_outbox_depth', 'Signed results not yet acknowledged by the cloud.', () =>
    sources.outboxDepth(),
  );
  return {
    registry,
    jobs,
    apdu,
    /** Prometheus text, reader states read now (a failing pcscd counts as no readers). */
    scrape: async (): Promise<string> => {
      readers = await sources.readers.readers().catch(() => []);
      return registry.prometheusText();
    },
  };
}

export type AgentMetrics = ReturnType<typeof agentMetrics>;
