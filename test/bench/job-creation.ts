import { generateKeyPair } from 'jose';
import { addEnrolledAgent, pushExample, startCloud } from '../support/cloud-server';

/**
 * Job-creation throughput through the API (HTTP → Hono → JobStore → dynalite, with
 * its audit entry) next to dynalite's raw conditional-put rate, measured in the same
 * run on the same table. Prints figures; asserts nothing.
 */
const N = Number(process.env.BENCH_JOBS ?? 300);

export async function jobCreationBenchmark(): Promise<Record<string, unknown>> {
  const cloud = await startCloud();
  try {
    await pushExample(cloud, 'read-version');
    await addEnrolledAgent(
      cloud,
      'bench-agent',
      'berlin',
      (await generateKeyPair('ES256', { extractable: true })).publicKey,
    );

    let started = performance.now();
    for (let i = 0; i < N; i++) await cloud.db.table.putNew({ PK: `BENCH#${i}`, SK: 'RAW', value: i });
    const rawPerSecond = N / ((performance.now() - started) / 1000);

    started = performance.now();
    for (let i = 0; i < N; i++) {
      const response = await cloud.call('POST', '/v1/jobs', {
        token: cloud.tokens.operatorBerlin,
        body: { agentId: 'bench-agent', encodingId: 'read-version', fields: { N: String(i) } },
      });
      if (response.status !== 202) throw new Error(`job creation failed: ${response.status}`);
      await response.arrayBuffer();
    }
    const jobsPerSecond = N / ((performance.now() - started) / 1000);
    const rows = [
      { measure: 'dynalite raw conditional put', perSecond: Number(rawPerSecond.toFixed(0)), ratio: 1 },
      {
        measure: 'POST /v1/jobs (HTTP, job + audit entry)',
        perSecond: Number(jobsPerSecond.toFixed(0)),
        ratio: Number((jobsPerSecond / rawPerSecond).toFixed(3)),
      },
    ];
    console.log(`\njob creation vs raw dynalite writes (${N} sequential operations each)`);
    console.table(rows);
    return { benchmark: 'job-creation', operations: N, rows };
  } finally {
    await cloud.close();
  }
}
