import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics-registry';

describe('the metrics registry', () => {
  it('writes counters with labels, gauges read at scrape time and cumulative histogram buckets', () => {
    const metrics = new MetricsRegistry();
    const jobs = metrics.counter('jobs_total', 'Jobs by outcome.');
    jobs.inc({ outcome: 'SUCCEEDED' });
    jobs.inc({ outcome: 'SUCCEEDED' });
    jobs.inc({ outcome: 'FAILED' });
    let depth = 3;
    metrics.gauge('outbox_depth', 'Results not yet acknowledged.', () => depth);
    const latency = metrics.histogram('apdu_seconds', 'APDU round trip.', [0.01, 0.1]);
    latency.observe(0.005);
    latency.observe(0.05);
    latency.observe(2);
    depth = 1;
    expect(metrics.prometheusText()).toBe(
      [
        '# HELP jobs_total Jobs by outcome.',
        '# TYPE jobs_total counter',
        'jobs_total{outcome="SUCCEEDED"} 2',
        'jobs_total{outcome="FAILED"} 1',
        '# HELP outbox_depth Results not yet acknowledged.',
        '# TYPE outbox_depth gauge',
        'outbox_depth 1',
        '# HELP apdu_seconds APDU round trip.',
        '# TYPE apdu_seconds histogram',
        'apdu_seconds_bucket{le="0.01"} 1',
        'apdu_seconds_bucket{le="0.1"} 2',
        'apdu_seconds_bucket{le="+Inf"} 3',
        'apdu_seconds_sum 2.055',
        'apdu_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and refuses a name Prometheus would not parse', () => {
    const metrics = new MetricsRegistry();
    metrics.counter('requests_total', 'x').inc({ route: 'a"b\\c' });
    expect(metrics.prometheusText()).toContain('requests_total{route="a\\"b\\\\c"} 1');
    expect(() => metrics.counter('bad-name', 'x')).toThrow(/Prometheus name/);
  });
});
