import { beforeEach, describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import { type AuditEntry, entryHash, GENESIS_HASH } from '../audit/audit-chain';
import { keys } from '../storage/table-design';
import { main } from './main';

/** Each tampering case is caught by GET /v1/audit/verify and by `cardfleet audit verify`. */
describe('audit tampering, detected through the API and the admin CLI', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  // Tampering goes around the API, straight to the table.
  const read = async (seq: number) =>
    JSON.parse(String((await cloud.table.get(keys.auditEntry('main', seq)))?.entry)) as AuditEntry;
  const write = (entry: AuditEntry) =>
    cloud.table.put({ ...keys.auditEntry('main', entry.seq), entry: JSON.stringify(entry) });
  const verifyViaCli = async () => {
    let stdout = '';
    const code = await main(['audit', 'verify'], {
      env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.auditor },
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      fetch: cloud.fetch,
    });
    return { code, stdout };
  };

  beforeEach(async () => {
    cloud = await memoryCloud();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5'])
      await cloud.call('POST', '/v1/agents', { token: cloud.tokens.admin, body: { id, office: 'berlin' } });
  });

  const cases: [string, () => Promise<void>, number][] = [
    ['a modified entry', async () => void (await write({ ...(await read(3)), actor: 'mallory' })), 3],
    ['a deleted middle entry', () => cloud.table.delete(keys.auditEntry('main', 3)), 3],
    ['a deleted last entry', () => cloud.table.delete(keys.auditEntry('main', 5)), 5],
    [
      'reordered entries',
      async () => {
        const [two, three] = [await read(2), await read(3)];
        await write({ ...three, seq: 2 });
        await write({ ...two, seq: 3 });
      },
      2,
    ],
    [
      'a chain whose hashes were all recomputed',
      async () => {
        let prev = GENESIS_HASH;
        for (let seq = 1; seq <= 5; seq++) {
          const { hash: _hash, ...rest } = {
            ...(await read(seq)),
            prevHash: prev,
            ...(seq === 2 ? { actor: 'mallory' } : {}),
          };
          prev = entryHash(rest);
          await write({ ...rest, hash: prev });
        }
      },
      5,
    ],
  ];

  it.each(cases)('detects %s', async (_name, tamper, firstBad) => {
    expect(await verifyViaCli()).toMatchObject({ code: 0 });
    await tamper();
    const api = (await (
      await cloud.call('GET', '/v1/audit/verify', { token: cloud.tokens.auditor })
    ).json()) as { ok: boolean; seq: number };
    expect(api).toMatchObject({ ok: false, seq: firstBad });
    const cli = await verifyViaCli();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`audit chain BROKEN at entry ${firstBad}`);
  });
});
