import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCloud } from '../../../test/support/cloud-server';
import { type AuditEntry, entryHash, GENESIS_HASH } from '../audit/audit-chain';
import { keys } from '../storage/table-design';
import { main } from './main';

/** Each tampering case is caught by GET /v1/audit/verify and by `cardfleet audit verify`. */
describe('audit tampering, detected through the API and the admin CLI', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  const entryKey = (seq: number) => ({
    PK: { S: keys.auditEntry('main', seq).PK },
    SK: { S: keys.auditEntry('main', seq).SK },
  });
  const read = async (seq: number) => {
    const out = await cloud.db.client.send(
      new GetItemCommand({ TableName: 'cardfleet', Key: entryKey(seq) }),
    );
    return JSON.parse(String(out.Item?.entry?.S)) as AuditEntry;
  };
  const write = (entry: AuditEntry) =>
    cloud.db.client.send(
      new PutItemCommand({
        TableName: 'cardfleet',
        Item: { ...entryKey(entry.seq), entry: { S: JSON.stringify(entry) } },
      }),
    );
  const verifyViaCli = async () => {
    let stdout = '';
    const code = await main(['audit', 'verify'], {
      env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.auditor },
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
    });
    return { code, stdout };
  };

  beforeEach(async () => {
    cloud = await startCloud();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5'])
      await cloud.call('POST', '/v1/agents', { token: cloud.tokens.admin, body: { id, office: 'berlin' } });
  });
  afterEach(() => cloud.close());

  const cases: [string, () => Promise<void>, number][] = [
    ['a modified entry', async () => void (await write({ ...(await read(3)), actor: 'mallory' })), 3],
    [
      'a deleted middle entry',
      async () =>
        void (await cloud.db.client.send(
          new DeleteItemCommand({ TableName: 'cardfleet', Key: entryKey(3) }),
        )),
      3,
    ],
    [
      'a deleted last entry',
      async () =>
        void (await cloud.db.client.send(
          new DeleteItemCommand({ TableName: 'cardfleet', Key: entryKey(5) }),
        )),
      5,
    ],
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
