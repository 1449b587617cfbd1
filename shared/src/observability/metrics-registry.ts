/**
 * Counters, gauges and histograms with labels, read out as the Prometheus text
 * exposition format 0.0.4 (Prometheus docs, "Exposition formats") and as plain samples
 * (the cloud's CloudWatch embedded-metric-format lines, cloud/src/metering). Written
 * here instead of taking prom-client: about a hundred lines, no process-wide default
 * registry, and the same figures feed both outputs.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples(): Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export class MetricsRegistry {
  private readonly families: Family[] = [];

  counter(name: string, help: string) {
    const values = new Map<string, { labels: Labels; value: number }>();
    this.add({ name, help, type: 'counter', samples: () => samplesOf(name, values) });
    return {
      inc: (labels: Labels = {}, by = 1) => {
        const key = labelKey(labels);
        const entry = values.get(key) ?? { labels, value: 0 };
        entry.value += by;
        values.set(key, entry);
      },
      value: (labels: Labels = {}) => values.get(labelKey(labels))?.value ?? 0,
    };
  }

  /** A gauge read when the metrics are read (readers present, broker connected, outbox depth). */
  gauge(name: string, help: string, read: () => number | readonly { labels: Labels; value: number }[]) {
    this.add({
      name,
      help,
      type: 'gauge',
      samples: () => {
        const now = read();
        return typeof now === 'number'
          ? [{ name, labels: {}, value: now }]
          : now.map((s) => ({ name, labels: s.labels, value: s.value }));
      },
    });
  }

  /** Cumulative buckets (`le`), `_sum` and `_count`, in seconds by convention. */
  histogram(name: string, help: string, buckets: readonly number[]) {
    const bounds = [...buckets].sort((a, b) => a - b);
    const counts = bounds.map(() => 0);
    let sum = 0;
    let count = 0;
    this.add({
      name,
      help,
      type: 'histogram',
      samples: () => [
        ...bounds.map((le, i) => ({
          name: `${name}_bucket`,
          labels: { le: String(le) },
          value: counts[i] ?? 0,
        })),
        { name: `${name}_bucket`, labels: { le: '+Inf' }, value: count },
        { name: `${name}_sum`, labels: {}, value: sum },
        { name: `${name}_count`, labels: {}, value: count },
      ],
    });
    return {
      observe: (value: number) => {
        bounds.forEach((le, i) => {
          if (value <= le) counts[i] = (counts[i] ?? 0) + 1;
        });
        sum += value;
        count += 1;
      },
    };
  }

  samples(): Sample[] {
    return this.families.flatMap((f) => f.samples());
  }

  /** The Prometheus text format (content type `text/plain; version=0.0.4`). */
  prometheusText(): string {
    const lines: string[] = [];
    for (const family of this.families) {
      lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${family.name} ${family.type}`);
      for (const s of family.samples()) lines.push(`${s.name}${labelText(s.labels)} ${numberText(s.value)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private add(family: Family): void {
    if (!NAME.test(family.name)) throw new Error(`metric name ${family.name} is not a Prometheus name`);
    if (this.families.some((f) => f.name === family.name))
      throw new Error(`metric ${family.name} is registered twice`);
    this.families.push(family);
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function samplesOf(name: string, values: Map<string, { labels: Labels; value: number }>): Sample[] {
  return [...values.values()].map(({ labels, value }) => ({ name, labels, value }));
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const quoted = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${entries.map(([k, v]) => `${k}="${quoted(v)}"`).join(',')}}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
