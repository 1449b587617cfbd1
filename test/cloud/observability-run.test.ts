import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pinoLogger } from '@cardfleet/shared/node';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../cloud/src/node/start-local-cloud';
import { readConsoleAccess } from '../../edge-agent/src/console/console-access';
import { enrolAgent } from '../../edge-agent/src/daemon/agent-identity';
import { startAgent } from '../../edge-agent/src/daemon/start-agent';
import { exampleFiles } from '../support/test-cloud';

// One PIN job through the local stack — the cloud on dynalite, its embedded broker, an
// agent with the in-process virtual CardOS card, the operator answering at the console —
// with both sides logging through the real pino adapter: the request id of the call that
// created the job is in the cloud's and the agent's lines, the PIN typed at the station
// is in no line in any spelling, and both /metrics count the job (docs/cloud.md and
// docs/edge-agent.md, "Logs" and "Metrics"; docs/security.md, "No secret in logs").
const CANARY = '593817';
const TRANSPORT = '000000'; // the virtual CardOS card's transport PIN (reference 83)
const REQUEST_ID = 'obs-run-req-1';
const AGENT = 'agent-obs-1';

const forms = (value: string) => [
  value,
  Buffer.from(value).toString('hex'),
  Buffer.from(value).toString('hex').toUpperCase(),
  Buffer.from(value).toString('base64'),
];

const collector = () => {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
};

describe('one job through the local stack, observed', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('carries its request id into the cloud and agent logs, logs no PIN, and is counted by both /metrics', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cardfleet-obs-'));
    const cloudLines = collector();
    const agentLines = collector();
    const local = await startLocalCloud({
      dataDir,
      port: 0,
      embeddedBroker: {},
      logger: pinoLogger({ name: 'cardfleet-cloud', destination: cloudLines }),
    });
    cleanups.push(() => local.close());
    const admin = await local.issuer.issue({ sub: 'alice', role: 'admin' });
    const operator = await local.issuer.issue({ sub: 'otto', role: 'operator', office: 'berlin' });
    const api = (method: string, path: string, token: string, body?: unknown, headers = {}) =>
      fetch(`${local.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const added = (await (
      await api('POST', '/v1/agents', admin, { id: AGENT, office: 'berlin' })
    ).json()) as {
      enrolmentCode: string;
    };
    const stateDirectory = join(dataDir, 'agent');
    await enrolAgent({ apiUrl: local.url, agentId: AGENT, code: added.enrolmentCode, stateDirectory });
    expect(
      (await api('POST', '/v1/encodings', admin, { id: 'set-pin', files: exampleFiles('set-pin') })).status,
    ).toBe(201);
    // Operators run released versions only: a second admin approves, then it is released (docs/releases.md).
    const bob = await local.issuer.issue({ sub: 'bob', role: 'admin' });
    expect((await api('POST', '/v1/encodings/set-pin/versions/1/approve', bob)).status).toBe(200);
    expect(
      (await api('POST', '/v1/encodings/set-pin/versions/1/releases', admin, { stages: [['*']] })).status,
    ).toBe(201);
    const agent = await startAgent(
      'observability-run',
      {
        stateDirectory,
        mqttUrl: local.mqttUrl,
        mqttCredential: { kind: 'token' },
        virtualCard: resolve('examples/cards/cardos.json'),
        keySetRefreshMinutes: 0,
      },
      process.cwd(),
      pinoLogger({ name: 'cardfleet-agent', destination: agentLines }),
    );
    cleanups.push(() => agent.stop());

    const created = await api(
      'POST',
      '/v1/jobs',
      operator,
      { agentId: AGENT, encodingId: 'set-pin', fields: { PIN_LABEL: 'Signature PIN' } },
      { 'x-request-id': REQUEST_ID },
    );
    expect(created.status).toBe(202);
    expect(created.headers.get('x-request-id')).toBe(REQUEST_ID);
    const { jobId } = (await created.json()) as { jobId: string };

    // The operator types the PINs at the station's console.
    const access = readConsoleAccess(stateDirectory);
    const console_ = (path: string, body?: unknown) =>
      fetch(new URL(path, access.url), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${access.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
      for (let i = 0; i < 300; i++) {
        const value = await probe();
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${what} did not happen`);
    };
    const pending = await until('the PIN request', async () => {
      const list = (
        (await (await console_('/api/pending')).json()) as { pending: { id: string; jobId: string }[] }
      ).pending;
      return list.find((p) => p.jobId === jobId);
    });
    const answered = await console_(`/api/pending/${pending.id}/answer`, {
      entries: [{ transport: TRANSPORT, pin: CANARY, confirmation: CANARY }],
    });
    expect(answered.status).toBe(204);
    await until('the job SUCCEEDED', async () => {
      const job = (await (await api('GET', `/v1/jobs/${jobId}`, operator)).json()) as { state: string };
      return job.state === 'SUCCEEDED' ? job : undefined;
    });
    await until('the acknowledgement', async () =>
      agentLines.lines.some((l) => l.includes('result acknowledged')) ? true : undefined,
    );

    // The request id in both logs, on lines about this job.
    const records = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const cloudRecords = records(cloudLines.lines);
    const agentRecords = records(agentLines.lines);
    expect(cloudRecords).toContainEqual(
      expect.objectContaining({ msg: 'api call', route: '/v1/jobs', status: 202, requestId: REQUEST_ID }),
    );
    expect(cloudRecords).toContainEqual(
      expect.objectContaining({ msg: 'job created', jobId, requestId: REQUEST_ID }),
    );
    expect(agentRecords).toContainEqual(
      expect.objectContaining({
        level: 'info',
        jobId,
        requestId: REQUEST_ID,
        msg: expect.stringContaining('accepted'),
      }),
    );
    expect(agentRecords).toContainEqual(
      expect.objectContaining({
        jobId,
        requestId: REQUEST_ID,
        msg: expect.stringContaining('waiting for PINs'),
      }),
    );
    expect(agentRecords).toContainEqual(
      expect.objectContaining({ jobId, requestId: REQUEST_ID, status: 'SUCCEEDED' }),
    );
    // Every line is JSON with a level and a time.
    for (const record of [...cloudRecords, ...agentRecords]) expect(record).toHaveProperty('time');

    // The canary PIN (and the transport PIN) in no log line, in no spelling.
    const everything = [...cloudLines.lines, ...agentLines.lines].join('\n');
    const leaks = [...forms(CANARY), ...forms(TRANSPORT)].filter((form) => everything.includes(form));
    expect(leaks).toEqual([]);

    // Both /metrics count the job.
    const agentMetrics = await (await fetch(agent.metricsUrl)).text();
    expect(agentMetrics).toContain('cardfleet_agent_jobs_total{outcome="SUCCEEDED"} 1');
    expect(agentMetrics).toContain('cardfleet_agent_mqtt_connected 1');
    expect(agentMetrics).toContain('cardfleet_agent_cards_present 1');
    expect(agentMetrics).toContain('cardfleet_agent_outbox_depth 0');
    expect(agentMetrics).toMatch(/^cardfleet_agent_apdu_seconds_count [1-9]\d*$/m);
    const cloudMetrics = await (await fetch(`${local.url}/metrics`)).text();
    expect(cloudMetrics).toContain('cardfleet_jobs_created_total 1');
    expect(cloudMetrics).toContain('cardfleet_jobs_finished_total{outcome="SUCCEEDED"} 1');
    expect(cloudMetrics).toContain(
      'cardfleet_api_requests_total{method="POST",route="/v1/jobs",status="202"} 1',
    );
    expect(cloudMetrics).toMatch(/^cardfleet_ingest_total\{kind="result",outcome="ok"\} [1-9]/m);
    const ready = await fetch(`${local.url}/readyz`);
    expect(await ready.json()).toEqual({ ok: true, parts: { storage: 'up', broker: 'up' } });
  });
});
