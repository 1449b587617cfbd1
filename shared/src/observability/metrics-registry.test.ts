import { describe, expect, it } from 'vitest';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics-registry';

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

describe('metrics', () => {
  it('count by one or more, per label set whatever the label order, and read zero for a new set', () => {
    const metrics = new MetricsRegistry();
    const apdus = metrics.counter('apdus_total', 'APDUs sent.');
    apdus.inc();
    apdus.inc({}, 4);
    apdus.inc({ reader: 'R1', sw: '9000' });
    apdus.inc({ sw: '9000', reader: 'R1' }, 2);
    apdus.inc({ reader: 'R2', sw: '9000' });
    expect([apdus.value(), apdus.value({ sw: '9000', reader: 'R1' }), apdus.value({ reader: 'R3' })]).toEqual(
      [5, 3, 0],
    );
    expect(metrics.samples()).toEqual([
      { name: 'apdus_total', labels: {}, value: 5 },
      { name: 'apdus_total', labels: { reader: 'R1', sw: '9000' }, value: 3 },
      { name: 'apdus_total', labels: { reader: 'R2', sw: '9000' }, value: 1 },
    ]);
  });

  it('tell label sets apart that share a value', () => {
    const metrics = new MetricsRegistry();
    const c = metrics.counter('c_total', 'c');
    c.inc({ a: 'x', b: 'y' });
    c.inc({ a: 'y', b: 'x' });
    c.inc({ z: 'x', a: 'y' });
    expect([c.value({ a: 'x', b: 'y' }), c.value({ b: 'x', a: 'y' }), c.value({ a: 'y', z: 'x' })]).toEqual([
      1, 1, 1,
    ]);
  });

  it('read labelled gauges when read, and write several labels, escaped', () => {
    const metrics = new MetricsRegistry();
    let readers = [{ labels: { reader: 'ACS "A"\nslot\\0', state: 'present' }, value: 1 }];
    metrics.gauge('reader_up', 'Readers\\present\nnow.', () => readers);
    readers = [...readers, { labels: { reader: 'B', state: 'absent' }, value: 0 }];
    expect(metrics.samples()).toEqual([
      { name: 'reader_up', labels: { reader: 'ACS "A"\nslot\\0', state: 'present' }, value: 1 },
      { name: 'reader_up', labels: { reader: 'B', state: 'absent' }, value: 0 },
    ]);
    expect(metrics.prometheusText()).toBe(
      [
        '# HELP reader_up Readers\\\\present\\nnow.',
        '# TYPE reader_up gauge',
        'reader_up{reader="ACS \\"A\\"\\nslot\\\\0",state="present"} 1',
        'reader_up{reader="B",state="absent"} 0',
        '',
      ].join('\n'),
    );
  });

  it('write NaN and infinities as Prometheus spells them', () => {
    const metrics = new MetricsRegistry();
    let value = Number.NaN;
    metrics.gauge('g', 'g', () => value);
    const line = () => metrics.prometheusText().split('\n')[2];
    expect(line()).toBe('g NaN');
    value = Number.POSITIVE_INFINITY;
    expect(line()).toBe('g +Inf');
    value = Number.NEGATIVE_INFINITY;
    expect(line()).toBe('g -Inf');
    value = -2.5;
    expect(line()).toBe('g -2.5');
  });

  it('sort histogram buckets and count a value equal to a bound in that bucket', () => {
    const metrics = new MetricsRegistry();
    const h = metrics.histogram('h_seconds', 'h', [1, 0.5, 2]);
    expect(metrics.samples()).toEqual([
      { name: 'h_seconds_bucket', labels: { le: '0.5' }, value: 0 },
      { name: 'h_seconds_bucket', labels: { le: '1' }, value: 0 },
      { name: 'h_seconds_bucket', labels: { le: '2' }, value: 0 },
      { name: 'h_seconds_bucket', labels: { le: '+Inf' }, value: 0 },
      { name: 'h_seconds_sum', labels: {}, value: 0 },
      { name: 'h_seconds_count', labels: {}, value: 0 },
    ]);
    h.observe(0.5);
    h.observe(1.5);
    h.observe(3);
    expect(metrics.samples().map((s) => s.value)).toEqual([1, 1, 2, 3, 5, 3]);
  });

  it('write nothing but a newline when empty', () => {
    expect(new MetricsRegistry().prometheusText()).toBe('\n');
    expect(new MetricsRegistry().samples()).toEqual([]);
  });

  it('take only Prometheus names, each once', () => {
    const metrics = new MetricsRegistry();
    const verdict = (name: string) => {
      try {
        metrics.counter(name, 'x');
        return 'ok';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(['a', '_x', ':x', 'a:b_c9', 'A9'].map(verdict)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(['9x', 'a-b', 'x y', 'ab ', ' ab', ''].map(verdict)).toEqual(
      ['9x', 'a-b', 'x y', 'ab ', ' ab', ''].map((n) => `metric name ${n} is not a Prometheus name`),
    );
    expect(verdict('a')).toBe('metric a is registered twice');
    expect(() => metrics.gauge('a', 'x', () => 1)).toThrow('metric a is registered twice');
  });

  it('serve the Prometheus text content type', () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
