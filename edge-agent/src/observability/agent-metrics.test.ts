import { describe, expect, it } from 'vitest';
import { InProcessReaders } from '../readers/in-process-readers';
import type { Clock } from '../runner/clock';
import { agentMetrics } from './agent-metrics';
import { timedReaders } from './timed-readers';

describe('the agent metrics', () => {
  it('count APDU round trips by latency, readers and cards present, the broker link and the outbox', async () => {
    const readers = new InProcessReaders();
    readers.addReader('Empty');
    readers.insert('R', {
      atr: Uint8Array.of(0x3b, 0x00),
      reset() {},
      transmit: () => Uint8Array.of(0x90, 0x00),
    });
    let now = 0;
    const clock: Clock = { monotonicMs: () => now, isoNow: () => '2026-12-01T10:00:00.000Z' };
    const metrics = agentMetrics({ readers, mqttConnected: () => true, outboxDepth: () => 2 });
    const timed = timedReaders(readers, clock, (s) => metrics.apdu.observe(s));
    const channel = await timed.connect('R');
    const exchange = channel.exchange(Uint8Array.of(0, 0xca, 1, 1, 0), 258);
    now = 30;
    await exchange;
    await channel.disconnect();
    metrics.jobs.inc({ outcome: 'SUCCEEDED' });
    const text = await metrics.scrape();
    for (const line of [
      'cardfleet_agent_jobs_total{outcome="SUCCEEDED"} 1',
      'cardfleet_agent_apdu_seconds_bucket{le="0.025"} 0',
      'cardfleet_agent_apdu_seconds_bucket{le="0.05"} 1',
      'cardfleet_agent_apdu_seconds_count 1',
      'cardfleet_agent_readers 2',
      'cardfleet_agent_cards_present 1',
      'cardfleet_agent_mqtt_connected 1',
      'cardfleet_agent_outbox_depth 2',
    ])
      expect(text).toContain(line);
  });
});
