import { describe, expect, it } from 'vitest';
import { cloudMetrics } from './cloud-metrics';
import { embeddedMetricEmitter, embeddedMetricLine } from './embedded-metric-format';

describe('CloudWatch embedded metric format lines', () => {
  it('declare the metric with its labels as one dimension set, and carry the labels and value as members', () => {
    const line = embeddedMetricLine(
      'ApiRequests',
      { status: '202', route: '/v1/jobs' },
      1,
      1_765_000_000_000,
    );
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: 1_765_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'cardfleet',
            Dimensions: [['route', 'status']],
            Metrics: [{ Name: 'ApiRequests', Unit: 'Count' }],
          },
        ],
      },
      route: '/v1/jobs',
      status: '202',
      ApiRequests: 1,
    });
    expect(line).not.toContain('\n');
  });

  it('are written once per count by the cloud metrics in AWS', () => {
    const lines: string[] = [];
    const metrics = cloudMetrics({
      onCount: embeddedMetricEmitter(
        (line) => lines.push(line),
        () => 5,
      ),
    });
    metrics.jobsFinished.inc({ outcome: 'SUCCEEDED' });
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { _aws: { Timestamp: 5 }, outcome: 'SUCCEEDED', JobsFinished: 1 },
    ]);
    expect(metrics.registry.prometheusText()).toContain(
      'cardfleet_jobs_finished_total{outcome="SUCCEEDED"} 1',
    );
  });
});
