import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK } from 'jose';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import { AgentDaemon } from '../../edge-agent/src/daemon/agent-daemon';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { ResultOutbox } from '../../edge-agent/src/daemon/result-outbox';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { addEnrolledAgent, publicationDeps, pushExample, startCloud } from '../support/cloud-server';
import { startMosquitto } from '../support/mosquitto';
import { scriptedPrompter } from '../support/prompters';
import { quantile } from './bench-rig';

/**
 * A fleet on one broker: 200 agent daemons (each with its own MQTT session, gate,
 * ledger, outbox and an in-process virtual card — the agents' real code, only the
 * readers simulated), 2,000 jobs created through the API and published to them,
 * results verified and ingested by one cloud. Counts what matters: results lost
 * (a job without a stored outcome) and duplicated (a job run twice, or stored or
 * audited twice). Also prints throughput and per-job latency. Asserts nothing.
 */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const JOBS = Number(process.env.BENCH_FLEET_JOBS ?? 2000);

export async function fleetBenchmark(): Promise<Record<string, unknown>> {
  const broker = await startMosquitto();
  const cloud = await startCloud();
  const daemons: AgentDaemon[] = [];
  const executions = new Map<string, number>();
  const deliveries = new Map<string, number>();
  const storedAt = new Map<string, number>();
  try {
    await pushExample(cloud, 'read-version');
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: (JWK & { kid: string })[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
    );
    const card = join(import.meta.dirname, '../../examples/cards/cardos.json');
    const root = mkdtempSync(join(tmpdir(), 'cardfleet-fleet-'));
    for (let i = 0; i < AGENTS; i++) {
      const agentId = `fleet-${String(i).padStart(3, '0')}`;
      const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await addEnrolledAgent(cloud, agentId, 'berlin', key.publicKey);
      const readers = new InProcessReaders();
      readers.insert('Virtual Reader 0', loadCardProfile(card));
      const daemon = new AgentDaemon({
        agentId,
        mqttUrl: broker.url,
        keys,
        privateKey: key.privateKey,
        ledger: new JobLedger(join(root, agentId, 'ledger.jsonl')),
        outbox: new ResultOutbox(join(root, agentId, 'outbox')),
        readers,
        defaultReader: 'Virtual Reader 0',
        prompter: scriptedPrompter([]),
        clock: systemClock,
        trace: (stage, jobId) => {
          if (stage === 'admitted' && jobId) executions.set(jobId, (executions.get(jobId) ?? 0) + 1);
        },
      });
      await daemon.start();
      daemons.push(daemon);
    }
    process.stderr.write(`fleet: ${AGENTS} agents enrolled and connected\n`);
    const subscriber = await subscribeResults(broker.url, {
      receiveResult: async (agentId, payload) => {
        const ack = await cloud.cloud.receiveResult(agentId, payload);
        if (ack) {
          deliveries.set(ack.jobId, (deliveries.get(ack.jobId) ?? 0) + 1);
          if (!storedAt.has(ack.jobId)) storedAt.set(ack.jobId, performance.now());
        }
        return ack;
      },
      presence: cloud.cloud.presence,
      progress: cloud.cloud.progress,
    });
    const publisher = await mqttPublisher(broker.url, { clientId: 'fleet-cloud-publish' });
    const deps = publicationDeps(cloud, publisher);

    const createdAt = new Map<string, number>();
    const started = performance.now();
    for (let i = 0; i < JOBS; i++) {
      const agentId = `fleet-${String(i % AGENTS).padStart(3, '0')}`;
      const t = performance.now();
      const response = await cloud.call('POST', '/v1/jobs', {
        token: cloud.tokens.operatorBerlin,
        body: { agentId, encodingId: 'read-version' },
      });
      const { jobId } = (await response.json()) as { jobId: string };
      createdAt.set(jobId, t);
      await publishJob(deps, jobId);
      if ((i + 1) % 250 === 0)
        process.stderr.write(`fleet: ${i + 1}/${JOBS} jobs published, ${storedAt.size} stored\n`);
    }
    const published = performance.now();
    // Settle: wait until every job is stored, or nothing new arrived for 30 s.
    let last = storedAt.size;
    let quietSince = performance.now();
    while (storedAt.size < JOBS && performance.now() - quietSince < 30_000) {
      await new Promise((r) => setTimeout(r, 250));
      if (storedAt.size !== last) {
        last = storedAt.size;
        quietSince = performance.now();
      }
    }
    const settled = performance.now();
    await Promise.all(daemons.map((d) => d.idle()));
    await new Promise((r) => setTimeout(r, 2000)); // late duplicates, if any, arrive now
    await subscriber.endAsync();
    await subscriber.idle();
    await publisher.close();

    const stored: string[] = [];
    for (const jobId of createdAt.keys()) {
      const job = await cloud.cloud.jobs.get(jobId);
      if (job?.state === 'SUCCEEDED') stored.push(jobId);
    }
    const auditedResults = new Map<string, number>();
    for (const entry of await cloud.cloud.audit.entries()) {
      const jobId = (entry.details as { jobId?: string } | undefined)?.jobId;
      if (entry.action === 'job.result' && jobId)
        auditedResults.set(jobId, (auditedResults.get(jobId) ?? 0) + 1);
    }
    const lost = JOBS - stored.length;
    const runTwice = [...executions.values()].filter((n) => n > 1).length;
    const auditedTwice = [...auditedResults.values()].filter((n) => n > 1).length;
    const redelivered = [...deliveries.values()].filter((n) => n > 1).length;
    const latencies = [...storedAt].map(([jobId, t]) => t - (createdAt.get(jobId) ?? t));
    const seconds = (settled - started) / 1000;
    const rows = [
      { measure: 'agents / jobs', value: `${AGENTS} / ${JOBS}` },
      { measure: 'results lost (no stored outcome)', value: lost },
      { measure: 'jobs run twice on a card', value: runTwice },
      { measure: 'results audited twice', value: auditedTwice },
      { measure: 'results delivered more than once (idempotent, acked again)', value: redelivered },
      {
        measure: 'create + publish, jobs/s',
        value: Number((JOBS / ((published - started) / 1000)).toFixed(1)),
      },
      { measure: 'end to end, jobs/s', value: Number((stored.length / seconds).toFixed(1)) },
      { measure: 'POST → stored p50 ms', value: Number(quantile(latencies, 0.5).toFixed(1)) },
      { measure: 'POST → stored p95 ms', value: Number(quantile(latencies, 0.95).toFixed(1)) },
    ];
    console.log(`\nfleet: ${AGENTS} agents on one Mosquitto, ${JOBS} jobs (read-version, 2 APDUs each)`);
    console.table(rows);
    return {
      benchmark: 'fleet',
      agents: AGENTS,
      jobs: JOBS,
      lost,
      runTwice,
      auditedTwice,
      redelivered,
      rows,
    };
  } finally {
    for (const daemon of daemons) await daemon.stop().catch(() => undefined);
    await cloud.close();
    await broker.stop();
  }
}
