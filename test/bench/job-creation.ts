import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { startCloud } from '../support/cloud-server';

/**
 * Job-creation throughput through the API (HTTP → Hono → JobStore → dynalite, with
 * its audit entry) next to dynalite's raw conditional-put rate, measured in the same
 * run on the same table. Prints figures; asserts nothing.
 */
const N = Number(process.env.BENCH_JOBS ?? 300);

export async function jobCreationBenchmark(): Promise<Record<string, unknown>> {
  const cloud = await startCloud();
  try {
    const examples = join(import.meta.dirname, '../../examples/read-version');
    const files = readdirSync(examples).map((name) => ({
      name,
      base64: readFileSync(join(examples, name)).toString('base64'),
    }));
    await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: { id: 'read-version', files },
    });
    const added = (await (
      await cloud.call('POST', '/v1/agents', {
        token: cloud.tokens.admin,
        body: { id: 'bench-agent', office: 'berlin' },
      })
    ).json()) as { enrolmentCode: string };
    const { kty, crv, x, y } = await exportJWK(
      (await generateKeyPair('ES256', { extractable: true })).publicKey,
    );
    await cloud.call('POST', '/v1/agents/bench-agent/enrol', {
      body: { code: added.enrolmentCode, publicJwk: { kty, crv, x, y } },
    });

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
