import { memoryLogger } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { memoryCloud, pushExample } from '../../../test/support/test-cloud';
import type { MemoryTable } from '../storage/memory-table';

describe('API calls', () => {
  it('each get a request id, echoed in x-request-id and written in one log line with route pattern, status and duration', async () => {
    const logger = memoryLogger();
    const cloud = await memoryCloud({ logger });
    const own = await cloud.fetch('/v1/jobs/nope', {
      headers: { authorization: `Bearer ${cloud.tokens.admin}`, 'x-request-id': 'cli-42.a' },
    });
    expect(own.status).toBe(404);
    expect(own.headers.get('x-request-id')).toBe('cli-42.a');
    const made = await cloud.fetch('/healthz', { headers: { 'x-request-id': 'bad id {"level":"error"}' } });
    const madeId = made.headers.get('x-request-id') ?? '';
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = logger.records.filter((r) => r.msg === 'api call');
    expect(lines).toEqual([
      expect.objectContaining({ method: 'GET', route: '/v1/jobs/:id', status: 404, requestId: 'cli-42.a' }),
      expect.objectContaining({ method: 'GET', route: '/healthz', status: 200, requestId: madeId }),
    ]);
    expect(typeof lines[0]?.durationMs).toBe('number');
    // The refusal is logged with its code, under the same request id.
    expect(logger.records).toContainEqual(
      expect.objectContaining({ msg: 'request refused', code: 'NOT_FOUND', requestId: 'cli-42.a' }),
    );
  });

  it('never write a bearer token or a job field marked secret into the log', async () => {
    const logger = memoryLogger();
    const cloud = await memoryCloud({ logger });
    await pushExample(cloud, 'gemalto-pkcs11');
    await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: 'nobody', encodingId: 'gemalto-pkcs11', fields: { PIN: '593817' } },
    });
    const text = JSON.stringify(logger.records);
    expect(logger.records.length).toBeGreaterThan(0);
    expect(text).not.toContain(cloud.tokens.operatorBerlin);
    expect(text).not.toContain('593817');
  });
});

describe('the cloud health and metrics routes', () => {
  it('/readyz answers 503 naming the part that is down, /healthz stays up', async () => {
    let brokerUp = false;
    const cloud = await memoryCloud({ brokerConnected: () => brokerUp });
    const down = await cloud.fetch('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      ok: false,
      parts: { storage: 'up', broker: 'down' },
      down: ['broker'],
    });
    expect((await cloud.fetch('/healthz')).status).toBe(200);
    brokerUp = true;
    expect((await cloud.fetch('/readyz')).status).toBe(200);
  });

  it('/readyz names storage when the table does not answer', async () => {
    const cloud = await memoryCloud();
    const table = cloud.table as MemoryTable;
    table.get = async () => {
      throw new Error('connection refused');
    };
    const answer = await cloud.fetch('/readyz');
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ down: ['storage'] });
  });

  it('/metrics counts API calls by route and status in Prometheus text, when the composition serves it', async () => {
    const cloud = await memoryCloud({ serveMetrics: true });
    await cloud.fetch('/healthz');
    await cloud.fetch('/healthz');
    const metrics = await cloud.fetch('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await metrics.text()).toContain(
      'cardfleet_api_requests_total{method="GET",route="/healthz",status="200"} 2',
    );
    expect((await (await memoryCloud()).fetch('/metrics')).status).toBe(404);
  });
});
