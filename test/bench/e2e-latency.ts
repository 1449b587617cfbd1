import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics, validateBundle } from '@cardfleet/shared';
import { importJWK, type JWK } from 'jose';
import { connectAsync } from 'mqtt';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import type { Publisher } from '../../cloud/src/publishing/publisher';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { AgentDaemon } from '../../edge-agent/src/daemon/agent-daemon';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { ResultOutbox } from '../../edge-agent/src/daemon/result-outbox';
import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { runEncoding } from '../../edge-agent/src/runner/job-runner';
import { addEnrolledAgent, publicationDeps, startCloud } from '../support/cloud-server';
import { startMosquitto } from '../support/mosquitto';
import { scriptedPrompter } from '../support/prompters';
import { quantile, startBenchRig, startCardProcess } from './bench-rig';

/**
 * End-to-end latency of a 10-APDU job: POST /v1/jobs → result stored, through the real
 * chain (HTTP API on dynalite, ES256-signed envelope over Mosquitto, agent daemon with
 * its gate, ledger and outbox, pcscd + vpcd card in its own process, signed result,
 * ingestion). The job is published right after creation (what the dispatcher does on
 * its next tick; its 500 ms poll is left out). Baselines measured in the same run: the
 * same script run directly on the card, and an MQTT QoS 1 publish → receive on the same
 * broker. Prints p50/p95 per stage; asserts nothing.
 */
const JOBS = Number(process.env.BENCH_E2E_JOBS ?? 100);
const WARMUP = 5;
const AGENT = 'bench-agent';
const SCRIPT = Array.from({ length: 10 }, () => 'RAW:00CA018202').join('\n');
const FILES = { 'encoding.ini': 'ApplicationList=A\n[A]\nApduFile=ten.apdu\n', 'ten.apdu': `${SCRIPT}\n` };

type Stamp = 'received' | 'admitted' | 'ran' | 'reported' | 'resultIn' | 'ingested' | 'publishCalled';

export async function e2eLatencyBenchmark(): Promise<Record<string, unknown>> {
  const rig = await startBenchRig();
  const card = await startCardProcess(rig);
  const broker = await startMosquitto();
  const cloud = await startCloud();
  const readers = new PcscliteReaders();
  const closers: (() => Promise<unknown>)[] = [];
  try {
    while (!(await readers.readers()).some((r) => r.name === rig.reader && r.cardPresent))
      await new Promise((r) => setTimeout(r, 20));
    const pushed = await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: {
        id: 'ten-apdus',
        files: Object.entries(FILES).map(([name, text]) => ({
          name,
          base64: Buffer.from(text).toString('base64'),
        })),
      },
    });
    if (pushed.status !== 201) throw new Error(`push failed: ${pushed.status}`);
    const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await addEnrolledAgent(cloud, AGENT, 'berlin', agentKey.publicKey);
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: (JWK & { kid: string })[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
    );

    // Stage timestamps of the job in flight (one at a time).
    let stamps: Partial<Record<Stamp, number>> = {};
    let done: (() => void) | undefined;
    const state = mkdtempSync(join(tmpdir(), 'cardfleet-bench-agent-'));
    const daemon = new AgentDaemon({
      agentId: AGENT,
      mqttUrl: broker.url,
      keys,
      privateKey: agentKey.privateKey,
      ledger: new JobLedger(join(state, 'ledger.jsonl')),
      outbox: new ResultOutbox(join(state, 'outbox')),
      readers,
      defaultReader: rig.reader,
      prompter: scriptedPrompter([]),
      clock: systemClock,
      trace: (stage) => {
        stamps[stage] = performance.now();
      },
    });
    await daemon.start();
    closers.push(() => daemon.stop());
    const subscriber = await subscribeResults(broker.url, {
      receiveResult: async (agentId, payload) => {
        stamps.resultIn = performance.now();
        const ack = await cloud.cloud.receiveResult(agentId, payload);
        stamps.ingested = performance.now();
        done?.();
        return ack;
      },
    });
    closers.push(() => subscriber.endAsync());
    const mqtt = await mqttPublisher(broker.url, { clientId: 'bench-cloud-publish' });
    closers.push(() => mqtt.close());
    const publisher: Publisher = {
      publish: (topic, payload) => {
        stamps.publishCalled = performance.now();
        return mqtt.publish(topic, payload);
      },
      close: () => mqtt.close(),
    };
    const deps = publicationDeps(cloud, publisher);

    const rows: Record<string, number[]> = {
      'create (POST /v1/jobs)': [],
      'sign + publish': [],
      delivery: [],
      'verify (gate)': [],
      card: [],
      report: [],
      ingest: [],
      'total POST → stored': [],
    };
    for (let i = 0; i < JOBS + WARMUP; i++) {
      stamps = {};
      const finished = new Promise<void>((resolve) => {
        done = resolve;
      });
      const a = performance.now();
      const created = await cloud.call('POST', '/v1/jobs', {
        token: cloud.tokens.operatorBerlin,
        body: { agentId: AGENT, encodingId: 'ten-apdus' },
      });
      const { jobId } = (await created.json()) as { jobId: string };
      const b = performance.now();
      await publishJob(deps, jobId);
      await finished;
      if (i < WARMUP) continue;
      const s = stamps as Record<Stamp, number>;
      rows['create (POST /v1/jobs)']?.push(b - a);
      rows['sign + publish']?.push(s.publishCalled - b);
      rows.delivery?.push(s.received - s.publishCalled);
      rows['verify (gate)']?.push(s.admitted - s.received);
      rows.card?.push(s.ran - s.admitted);
      rows.report?.push(s.resultIn - s.ran);
      rows.ingest?.push(s.ingested - s.resultIn);
      rows['total POST → stored']?.push(s.ingested - a);
    }

    // Baselines, same run: the script straight on the card; an MQTT QoS 1 round trip.
    const bundle = validateBundle({
      files: Object.entries(FILES).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })),
    }).bundle;
    if (!bundle) throw new Error('bundle');
    const direct: number[] = [];
    for (let i = 0; i < JOBS + WARMUP; i++) {
      const t = performance.now();
      await runEncoding({
        bundle,
        readers,
        reader: rig.reader,
        fields: {},
        clock: systemClock,
        prompter: scriptedPrompter([]),
        handlers: applicationHandlers(),
      });
      if (i >= WARMUP) direct.push(performance.now() - t);
    }
    const pub = await connectAsync(broker.url, { clientId: 'bench-pub' });
    const sub = await connectAsync(broker.url, { clientId: 'bench-sub' });
    closers.push(
      () => pub.endAsync(),
      () => sub.endAsync(),
    );
    await sub.subscribeAsync(topics.jobs('bench-echo'), { qos: 1 });
    const roundTrips: number[] = [];
    for (let i = 0; i < JOBS + WARMUP; i++) {
      const got = new Promise<void>((resolve) => sub.once('message', () => resolve()));
      const t = performance.now();
      await pub.publishAsync(topics.jobs('bench-echo'), 'x'.repeat(2048), { qos: 1 });
      await got;
      if (i >= WARMUP) roundTrips.push(performance.now() - t);
    }

    const total = quantile(rows['total POST → stored'] ?? [], 0.5);
    const cardOnly = quantile(direct, 0.5);
    const table = [
      ...Object.entries(rows).map(([stage, values]) => ({
        stage,
        p50ms: Number(quantile(values, 0.5).toFixed(2)),
        p95ms: Number(quantile(values, 0.95).toFixed(2)),
      })),
      {
        stage: 'baseline: same script straight on the card',
        p50ms: Number(cardOnly.toFixed(2)),
        p95ms: Number(quantile(direct, 0.95).toFixed(2)),
      },
      {
        stage: 'baseline: MQTT QoS 1 publish → receive (2 KiB)',
        p50ms: Number(quantile(roundTrips, 0.5).toFixed(2)),
        p95ms: Number(quantile(roundTrips, 0.95).toFixed(2)),
      },
    ];
    console.log(
      `\nend-to-end latency of a 10-APDU job (${JOBS} jobs one after another, ${WARMUP} warm-up left out)`,
    );
    console.table(table);
    console.log(`total p50 / card-only p50 = ${(total / cardOnly).toFixed(1)}`);
    return { benchmark: 'e2e-latency', jobs: JOBS, rows: table, ratioTotalToCardOnly: total / cardOnly };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await readers.close();
    await cloud.close();
    await broker.stop();
    await card.stop();
    await rig.stop();
  }
}
