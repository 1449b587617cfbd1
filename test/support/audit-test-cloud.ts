import { memoryWitness } from '../../cloud/src/audit/checkpoint-witness';
import { main } from '../../cloud/src/cli/main';
import { memoryCloud } from './test-cloud';

/** For the audit CLI tests (audit-repair.test.ts, audit-tampering.test.ts): one setup for both. */
export type Cloud = Awaited<ReturnType<typeof memoryCloud>>;

/** A memory cloud whose audit log writes to its `shards` shards in turn, without waits or logs. */
export async function cloudWith(shards: number): Promise<Cloud> {
  let turn = 0;
  return memoryCloud({
    audit: {
      shards,
      witness: memoryWitness(),
      random: () => (turn++ % shards) / shards,
      sleep: async () => undefined,
      log: () => undefined,
    },
  });
}

/** `cardfleet audit …` as the admin against `cloud`: the exit code and what it wrote (stdout and stderr). */
export async function auditCli(cloud: Cloud, ...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(['audit', ...argv], {
    env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.admin },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stdout += t),
    fetch: cloud.fetch,
  });
  return { code, stdout };
}
