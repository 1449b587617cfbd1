import type { Labels } from '@cardfleet/shared';
import type { CountHook } from './cloud-metrics';

/**
 * CloudWatch embedded metric format (Amazon CloudWatch User Guide, "Specification:
 * Embedded metric format"): a JSON log line whose `_aws` member tells CloudWatch Logs
 * to extract the named members as metrics, with the labels as dimensions. Lambda's
 * stdout goes to CloudWatch Logs, so writing the line is all it takes — no API call
 * and no agent on the way.
 */
export const EMF_NAMESPACE = 'cardfleet';

export function embeddedMetricLine(
  metric: string,
  labels: Labels,
  value: number,
  timestampMs: number,
  namespace = EMF_NAMESPACE,
): string {
  const dimensions = Object.keys(labels).sort();
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [dimensions],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    ...labels,
    [metric]: value,
  });
}

/** A count hook that writes each count as one EMF line (`write` gets the line without newline). */
export function embeddedMetricEmitter(
  write: (line: string) => void,
  nowMs: () => number,
  namespace = EMF_NAMESPACE,
): CountHook {
  return (metric, labels, by) => write(embeddedMetricLine(metric, labels, by, nowMs(), namespace));
}
