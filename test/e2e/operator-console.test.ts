import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SEALED_LITERALS_WIRE_VERSION, toHex } from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { startConsoleServer } from '../../edge-agent/src/console/console-server';
import { PinRequests } from '../../edge-agent/src/console/pin-requests';
import { AGENT, startSystem } from '../support/e2e-system';
import {
  hexSpellings,
  LITERAL_CMK,
  LITERAL_CR_KEY,
  literalSecretFiles,
  wireTexts,
} from '../support/literal-secrets';

// A PIN line answered at the station through the operator console (loopback HTTP, the
// way the console page posts it) reaches the card — and the canary PIN appears in no
// MQTT message, no DynamoDB item, no API answer, no agent state file and no log line.
// Secrets written in a bundle (a Card Manager Key in the .ini, a CR key in a .apdu)
// cross the broker only sealed to the agent's key (docs/messaging.md, "Sealed literals").
const CANARY = '593817';
const TRANSPORT = '000000'; // the virtual CardOS card's transport PIN (reference 83)
const forms = (pin: string) => {
  const bytes = Buffer.from(pin, 'utf8');
  return [
    pin,
    toHex(bytes),
    toHex(bytes).toLowerCase(),
    bytes.toString('base64'),
    bytes.toString('base64url'),
  ];
};

describe.each(['mosquitto', 'aedes'] as const)('PIN entry at the operator console, through %s', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let console_: Awaited<ReturnType<typeof startConsoleServer>>;
  let pins = new PinRequests({ timeoutMs: 20_000 });
  const token = 'station-console-token';
  const logs: string[] = [];
  beforeAll(async () => {
    const record = (stream: NodeJS.WriteStream) => {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
        logs.push(Buffer.from(chunk).toString());
        return write(chunk, ...rest);
      }) as typeof stream.write);
    };
    record(process.stdout);
    record(process.stderr);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level].bind(console);
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logs.push(args.map(String).join(' '));
        original(...args);
      });
    }
    system = await startSystem({
      broker,
      encodings: ['set-pin'],
      agent: {
        prompter: (job) => pins.prompter(job),
        log: (line) => logs.push(line), // the agent's log, as journald would keep it
      },
    });
    console_ = await startConsoleServer({ requests: pins, token });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await console_.close();
    await system.close();
  });

  it('the operator answers the pending request, the card takes the new PIN, and the PIN is nowhere else', async () => {
    const { api, cloud, until } = system;
    const call = (path: string, body?: unknown) =>
      fetch(new URL(path, console_.url), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const apdusBefore = system.counter.apdus;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'set-pin',
      fields: { PIN_LABEL: 'Signature PIN' },
    });
    await publishJob(system.publication(), jobId);
    type Pending = { id: string; jobId: string; reader: string; requests: { description: string }[] };
    let pending: Pending[] = [];
    await until('the PIN request on the console', async () => {
      pending = ((await (await call('/api/pending')).json()) as { pending: Pending[] }).pending;
      return pending.length === 1;
    });
    expect(pending[0]).toMatchObject({
      jobId,
      reader: system.readers.reader,
      requests: [{ description: 'Signature PIN' }],
    });
    expect(system.counter.apdus).toBe(apdusBefore); // asked before the first APDU
    const answered = await call(`/api/pending/${pending[0]?.id}/answer`, {
      entries: [{ transport: TRANSPORT, pin: CANARY, confirmation: CANARY }],
    });
    expect(answered.status).toBe(204);

    type JobView = { state: string; result?: { applications: { responseCodes?: string }[] } };
    const job = await system.jobIn<JobView>(jobId, 'SUCCEEDED');
    expect(job.result?.applications[0]?.responseCodes).toBe('9000,9000');
    await until('the acknowledgement', () => system.outbox.pending().length === 0);
    // The card now holds the canary as its signature PIN: VERIFY with it passes.
    const verify = Buffer.from(`0020008306${''}`, 'hex');
    const answer = system
      .currentCard()
      .transmit(new Uint8Array([...verify.subarray(0, 4), 6, ...Buffer.from(CANARY)]));
    expect(toHex(answer)).toBe('9000');

    // Search everywhere a PIN could leak to.
    const haystacks: [string, string][] = [];
    for (const m of system.traffic)
      haystacks.push([`mqtt ${m.topic}`, `${m.payload.toString()} ${toHex(m.payload)}`]);
    const scan = await system.cloud.db.client.send(new ScanCommand({ TableName: 'cardfleet' }));
    expect(scan.Items?.length).toBeGreaterThan(5);
    for (const item of scan.Items ?? []) {
      const text = JSON.stringify(item, (_k, v) =>
        v instanceof Uint8Array ? `${toHex(v)} ${Buffer.from(v).toString()}` : v,
      );
      haystacks.push([`dynamodb ${JSON.stringify(item.pk)}`, text]);
    }
    for (const path of [
      `/v1/jobs/${jobId}`,
      `/v1/jobs?agentId=${AGENT}`,
      `/v1/audit?limit=1000`,
      '/v1/audit/export',
    ]) {
      const res = await cloud.call('GET', path, { token: cloud.tokens.auditor });
      haystacks.push([`api ${path}`, await res.text()]);
    }
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    for (const path of files(system.state)) {
      const bytes = readFileSync(path);
      haystacks.push([`agent file ${path}`, `${bytes.toString()} ${toHex(bytes)}`]);
    }
    expect(logs.some((line) => line.includes(`job ${jobId}:1: SUCCEEDED`))).toBe(true);
    haystacks.push(['logs', logs.join('\n')]);
    expect(haystacks.some(([where]) => where.startsWith('mqtt') && where.endsWith('/results'))).toBe(true);
    const leaks = haystacks.flatMap(([where, text]) =>
      forms(CANARY)
        .filter((form) => text.includes(form))
        .map((form) => `${where}: ${form}`),
    );
    expect(leaks).toEqual([]);
  });

  it('an unanswered PIN request times out and fails the job before its first APDU', async () => {
    const { api, cloud } = system;
    // A short-lived set of requests for this test only; the console's own is put back after.
    const consoleRequests = pins;
    pins = new PinRequests({ timeoutMs: 300 });
    onTestFinished(() => {
      pins = consoleRequests;
    });
    const before = system.counter.apdus;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'set-pin',
      fields: { PIN_LABEL: 'Signature PIN' },
    });
    await publishJob(system.publication(), jobId);
    type JobView = { state: string; result?: { applications: { failure?: { code: string } }[] } };
    const job = await system.jobIn<JobView>(jobId, 'FAILED');
    expect(job.result?.applications[0]?.failure?.code).toBe('PIN_TIMEOUT');
    expect(system.counter.apdus).toBe(before);
    expect(pins.pending()).toEqual([]);
  });

  it('literal secrets of a bundle (a CMK in the .ini, a CR key in the .apdu) appear in no broker message', async () => {
    const { api, cloud } = system;
    const pushed = await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: {
        id: 'auth-and-cmk',
        files: Object.entries(literalSecretFiles).map(([name, text]) => ({
          name,
          base64: Buffer.from(text).toString('base64'),
        })),
      },
    });
    expect(pushed.status).toBe(201);
    // Sealed literals go only to an agent that announced the wire version that restores them.
    await system.until(
      'the agent to announce its wire version',
      async () => (await cloud.cloud.agents.get(AGENT))?.presence?.v === SEALED_LITERALS_WIRE_VERSION,
    );
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'auth-and-cmk',
    });
    await publishJob(system.publication(), jobId);
    type JobView = { state: string; result?: { applications: { status: string; responseCodes?: string }[] } };
    // The station has no PKCS#11 module, so the second application fails; the first one
    // authenticated with the CR key as written, restored by the agent.
    const job = await system.jobIn<JobView>(jobId, 'SUCCEEDED', 'FAILED');
    expect(job.result?.applications[0]).toMatchObject({ status: 'SUCCEEDED', responseCodes: '9000,9000' });
    await system.until('the acknowledgement', () => system.outbox.pending().length === 0);

    const jobTopics = system.traffic.filter((m) => m.topic.endsWith('/jobs'));
    expect(jobTopics.length).toBeGreaterThan(0);
    const canaries = [...hexSpellings(LITERAL_CMK), ...hexSpellings(LITERAL_CR_KEY)];
    const leaks = system.traffic.flatMap((m) =>
      wireTexts(m.payload).flatMap((text) =>
        canaries.filter((form) => text.includes(form)).map((form) => `mqtt ${m.topic}: ${form}`),
      ),
    );
    expect(leaks).toEqual([]);
  });
});
