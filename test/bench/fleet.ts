import { keys } from '../../cloud/src/storage/table-design';
import { quantile } from './bench-rig';
import { startLocalStack } from './local-stack';

/**
 * A fleet on one broker (docs/benchmarks.md, "Fleet"): BENCH_AGENTS agent daemons (each
 * with its own MQTT session, gate, ledger, outbox and an in-process virtual card — the
 * agents' real code, only the readers simulated) on an embedded Aedes broker,
 * BENCH_FLEET_JOBS jobs created through the API by 16 concurrent clients (each
 * published when queued), results verified and ingested 16 at a time by one cloud
 * over dynalite. Counts what matters: results lost (a job without a stored outcome)
 * and duplicated (a job run twice, or audited twice); prints end-to-end jobs/s next to
 * dynalite's raw conditional-put rate measured in the same run, and POST → stored
 * latency. Asserts nothing.
 */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const JOBS = Number(process.env.BENCH_FLEET_JOBS ?? 10_000);
const CLIENTS = 16;

/** Runs `count` tasks, `width` at a time. */
async function inParallel(count: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export async function fleetBenchmark(): Promise<Record<string, unknown>> {
  const stack = await startLocalStack({ ingestConcurrency: 16 });
  const executions = new Map<string, number>();
  try {
    await stack.push('read-version');
    const agentId = (i: number) => `fleet-${String(i).padStart(5, '0')}`;
    // Enrolled one at a time: setup, not measured (each enrolment appends to the audit chain).
    await inParallel(AGENTS, 1, async (i) => {
      await stack.agent(agentId(i), 'berlin', true, (stage, jobId) => {
        if (stage === 'admitted' && jobId) executions.set(jobId, (executions.get(jobId) ?? 0) + 1);
      });
      if ((i + 1) % 1000 === 0) process.stderr.write(`fleet: ${i + 1}/${AGENTS} agents connected\n`);
    });

    // dynalite's raw conditional-put rate, same concurrency, same run.
    const rawOps = 2000;
    const rawStarted = performance.now();
    await inParallel(rawOps, CLIENTS, async (i) => {
      await stack.db.table.putNew({ PK: `BENCH#${i}`, SK: 'RAW', value: i });
    });
    const rawPerSecond = rawOps / ((performance.now() - rawStarted) / 1000);

    const createdAt = new Map<string, number>();
    const failed: Record<string, number> = {};
    const started = performance.now();
    await inParallel(JOBS, CLIENTS, async (i) => {
      const t = performance.now();
      const response = await stack.call('POST', '/v1/jobs', {
        agentId: agentId(i % AGENTS),
        encodingId: 'read-version',
      });
      const body = (await response.json()) as { jobId?: string; state?: string; error?: { code: string } };
      if (response.status !== 202 || !body.jobId || body.state !== 'SENT') {
        const code = body.error?.code ?? `${response.status} ${body.state ?? ''}`;
        failed[code] = (failed[code] ?? 0) + 1;
      } else if (body.jobId) createdAt.set(body.jobId, t);
      if ((i + 1) % 500 === 0)
        process.stderr.write(`fleet: ${i + 1}/${JOBS} jobs created, ${stack.stored.size} stored\n`);
    });
    const published = performance.now();
    // Settle: until every job is stored, or nothing new arrived for 30 s.
    let last = stack.stored.size;
    let quietSince = performance.now();
    while (stack.stored.size < createdAt.size && performance.now() - quietSince < 30_000) {
      await new Promise((r) => setTimeout(r, 250));
      if (stack.stored.size !== last) {
        last = stack.stored.size;
        quietSince = performance.now();
      }
    }
    const settled = performance.now();
    await stack.idle();
    await new Promise((r) => setTimeout(r, 2000)); // late duplicates, if any, arrive now

    let succeeded = 0;
    for (const jobId of createdAt.keys())
      if ((await stack.db.table.get(keys.job(jobId)))?.state === 'SUCCEEDED') succeeded++;
    const audited = new Map<string, number>();
    for (const entry of await stack.cloud.audit.entries()) {
      const jobId = (entry.details as { jobId?: string } | undefined)?.jobId;
      if (entry.action === 'job.result' && jobId) audited.set(jobId, (audited.get(jobId) ?? 0) + 1);
    }
    // Lost: answered 202 SENT but no stored outcome. A POST that failed is counted apart.
    const lost = createdAt.size - succeeded;
    const runTwice = [...executions.values()].filter((n) => n > 1).length;
    const auditedTwice = [...audited.values()].filter((n) => n > 1).length;
    const latencies = [...stack.stored].map(([jobId, t]) => t - (createdAt.get(jobId) ?? t));
    const endToEnd = succeeded / ((settled - started) / 1000);
    const rows = [
      { measure: 'agents / jobs', value: `${AGENTS} / ${JOBS}` },
      { measure: 'results lost (no stored outcome)', value: lost },
      { measure: 'jobs run twice on a card', value: runTwice },
      { measure: 'results audited twice', value: auditedTwice },
      { measure: 'POST /v1/jobs answered 202 SENT', value: createdAt.size },
      { measure: 'POST /v1/jobs not answered 202 SENT', value: JSON.stringify(failed) },
      { measure: 'dynalite raw conditional put/s (16 at a time)', value: Number(rawPerSecond.toFixed(0)) },
      {
        measure: 'create + publish, jobs/s',
        value: Number((JOBS / ((published - started) / 1000)).toFixed(1)),
      },
      { measure: 'end to end, jobs/s', value: Number(endToEnd.toFixed(1)) },
      { measure: 'end to end / raw put rate', value: `1/${(rawPerSecond / endToEnd).toFixed(1)}` },
      { measure: 'POST → stored p50 ms', value: Number(quantile(latencies, 0.5).toFixed(1)) },
      { measure: 'POST → stored p95 ms', value: Number(quantile(latencies, 0.95).toFixed(1)) },
    ];
    console.log(`\nfleet: ${AGENTS} agents on one Aedes broker, ${JOBS} jobs (read-version, 2 APDUs each)`);
    console.table(rows);
    return { benchmark: 'fleet', agents: AGENTS, jobs: JOBS, lost, runTwice, auditedTwice, failed, rows };
  } finally {
    await stack.close();
  }
}
