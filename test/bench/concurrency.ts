import type { KeyPairKeyObjectResult } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type JobResult, localJwsSigner, signResultMessage } from '@cardfleet/shared';
import { serve } from '@hono/node-server';
import { apiRequest } from '../support/test-cloud';
import { quantile } from './bench-rig';
import { startLocalStack } from './local-stack';

/**
 * The write path under concurrency (docs/benchmarks.md, "Concurrency"): at 1, 4, 16 and
 * 64 concurrent clients, (a) HTTP clients creating jobs (POST /v1/jobs on a real port,
 * the cloud composed as `npm run cloud` composes it over dynalite, each job published
 * to an embedded broker), (b) result ingestion (signed results verified and ingested
 * side by side), each next to dynalite's raw conditional-put rate at the same
 * concurrency, measured in the same run. jobs/s, p50/p99 and failures; asserts nothing.
 */
const LEVELS = (process.env.BENCH_LEVELS ?? '1,4,16,64').split(',').map(Number);
const OPS = Number(process.env.BENCH_CONCURRENCY_OPS ?? 160);
const AGENTS = 16;

/** Runs `ops` operations with `clients` concurrent workers; latency of each and failures. */
async function drive(clients: number, ops: number, op: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < ops) {
        const i = next++;
        const t = performance.now();
        const ok = await op(i).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: Number(((ops - failures) / seconds).toFixed(1)),
    p50: Number(quantile(latencies, 0.5).toFixed(1)),
    p99: Number(quantile(latencies, 0.99).toFixed(1)),
    failures,
  };
}

export async function concurrencyBenchmark(): Promise<Record<string, unknown>> {
  const stack = await startLocalStack({ ingestConcurrency: 64 });
  const server = serve({ fetch: stack.cloud.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const failures: Record<string, number> = {};
  try {
    await stack.push('read-version');
    const agents: { agentId: string; key: KeyPairKeyObjectResult }[] = [];
    for (let a = 0; a < AGENTS; a++) {
      const agentId = `conc-${a}`;
      agents.push({ agentId, key: await stack.agent(agentId, 'berlin', false) });
    }
    const create = async (i: number) => {
      const { agentId } = agents[i % AGENTS] as (typeof agents)[number];
      const response = await fetch(
        `${base}/v1/jobs`,
        apiRequest('POST', {
          token: stack.tokens.operatorBerlin,
          body: { agentId, encodingId: 'read-version' },
        }),
      );
      const body = (await response.json()) as { jobId?: string; error?: { code: string } };
      if (response.status !== 202) {
        const code = body.error?.code ?? String(response.status);
        failures[code] = (failures[code] ?? 0) + 1;
      }
      return response.status === 202 ? (body.jobId ?? '') : '';
    };
    const rows = [];
    let run = 0;
    for (const clients of LEVELS) {
      run++;
      const raw = await drive(clients, OPS * 2, (i) =>
        stack.db.table.putNew({ PK: `BENCH#${run}#${i}`, SK: 'RAW', value: i }),
      );
      const created: string[] = [];
      const creation = await drive(clients, OPS, async (i) => {
        const jobId = await create(i);
        if (jobId) created.push(jobId);
        return jobId !== '';
      });
      // Results for the jobs just created (all SENT): signed by their agents, ingested side by side.
      const messages = await Promise.all(
        created.map(async (jobId) => {
          const job = await stack.cloud.jobs.get(jobId);
          const agent = agents.find((a) => a.agentId === job?.agentId) as (typeof agents)[number];
          const result: JobResult = {
            jobId,
            attempt: 1,
            agentId: agent.agentId,
            status: 'SUCCEEDED',
            finishedAt: new Date().toISOString(),
            card: {
              reader: 'R',
              atr: '3B00',
              cardNames: [],
              serial: `S-${jobId.slice(0, 8)}`,
              serialSource: 'encoding-field',
            },
            applications: [],
          };
          const signer = localJwsSigner(agent.agentId, agent.key.privateKey);
          return { agentId: agent.agentId, message: await signResultMessage(result, signer) };
        }),
      );
      const ingestion = await drive(clients, messages.length, async (i) => {
        const { agentId, message } = messages[i] as (typeof messages)[number];
        try {
          return (await stack.cloud.receiveResult(agentId, message)) !== undefined;
        } catch (error) {
          const code = String((error as { code?: string }).code ?? 'ERROR');
          failures[`ingest ${code}`] = (failures[`ingest ${code}`] ?? 0) + 1;
          return false;
        }
      });
      rows.push(
        { clients, measure: 'dynalite raw conditional put', ...raw },
        { clients, measure: 'POST /v1/jobs (HTTP, job + publish + audit)', ...creation },
        { clients, measure: 'result ingestion (verify + store + audit + move)', ...ingestion },
      );
      process.stderr.write(`concurrency: ${clients} clients done\n`);
    }
    console.log(`\nconcurrency: ${OPS} operations per level (raw puts: ${OPS * 2}), dynalite + Aedes`);
    console.table(rows);
    console.log('failures by code:', JSON.stringify(failures));
    return { benchmark: 'concurrency', operations: OPS, rows, failures };
  } finally {
    server.close();
    await stack.close();
  }
}
