import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, entryHash } from '../../cloud/src/audit/audit-entry';
import { entryItem } from '../../cloud/src/audit/audit-shards';
import { directoryWitness } from '../../cloud/src/audit/checkpoint-witness';
import { main } from '../../cloud/src/cli/main';
import { keys } from '../../cloud/src/storage/table-design';
import { addEnrolledAgent, pushExample, startCloud } from '../support/cloud-server';

/**
 * The audit log over dynalite, through the HTTP API and the admin CLI (docs/cloud.md,
 * "Auditor"): each tampering case found and refused, the repair procedure, and
 * concurrent appends that all land. The witness is a directory of write-once files.
 */
describe('audit log on dynalite, through the API and the CLI', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let witnessDir: string;
  let turn = 0;
  beforeEach(async () => {
    turn = 0;
    witnessDir = mkdtempSync(join(tmpdir(), 'cardfleet-witness-'));
    cloud = await startCloud({
      audit: {
        shards: 2,
        witness: directoryWitness(witnessDir),
        random: () => (turn++ % 2) / 2,
        log: () => undefined,
      },
    });
  });
  afterEach(() => cloud.close());

  const read = async (shard: number, seq: number) =>
    JSON.parse(String((await cloud.db.table.get(keys.auditEntry(shard, seq)))?.entry)) as AuditEntry;
  const write = (entry: AuditEntry) => cloud.db.table.put(entryItem(entry));
  const cli = async (...argv: string[]) => {
    let stdout = '';
    const code = await main(['audit', ...argv], {
      env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.admin },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stdout += t),
    });
    return { code, stdout };
  };
  const addAgents = async (...ids: string[]) => {
    for (const id of ids)
      expect(
        (
          await cloud.call('POST', '/v1/agents', {
            token: cloud.tokens.admin,
            body: { id, office: 'berlin' },
          })
        ).status,
      ).toBe(201);
  };
  const checkpointStatus = async () =>
    (await cloud.call('POST', '/v1/audit/checkpoint', { token: cloud.tokens.admin })).status;

  const cases: [string, () => Promise<void>, string][] = [
    ['an entry changed', async () => void (await write({ ...(await read(0, 2)), actor: 'mallory' })), '0/2'],
    [
      'an entry changed with its hash recomputed',
      async () => {
        const { hash: _h, mac, ...rest } = { ...(await read(1, 3)), actor: 'mallory' };
        await write({ ...rest, hash: entryHash(rest), mac });
      },
      '1/3',
    ],
    [
      'a forged entry at the next position',
      async () => {
        const tail = await read(0, 3);
        const { hash: _h, mac: _m, ...rest } = { ...tail, seq: 4, actor: 'mallory', prevHash: tail.hash };
        await write({ ...rest, hash: entryHash(rest), mac: '00'.repeat(32) });
      },
      '0/4',
    ],
    ['an entry deleted', () => cloud.db.table.delete(keys.auditEntry(1, 1)), '1/1'],
    [
      'two entries swapped',
      async () => {
        const [one, two] = [await read(0, 1), await read(0, 2)];
        await cloud.db.table.put({ ...entryItem(two), ...keys.auditEntry(0, 1) });
        await cloud.db.table.put({ ...entryItem(one), ...keys.auditEntry(0, 2) });
      },
      '0/1',
    ],
  ];

  it.each(cases)(
    'finds %s, shows the alert, and refuses the next checkpoint',
    async (_name, tamper, where) => {
      await addAgents('a1', 'a2', 'a3', 'a4');
      expect(await checkpointStatus()).toBe(200);
      await addAgents('a5', 'a6');
      await tamper();
      const found = await cli('verify');
      expect(found).toMatchObject({
        code: 1,
        stdout: expect.stringContaining(`audit log BROKEN at ${where}`),
      });
      expect(found.stdout).toContain('ALERT shard');
      expect(await checkpointStatus()).toBe(503);
    },
  );

  it('finds the checkpoints rolled back with the tail truncated, by the witness directory, and repairs', async () => {
    const state = join(witnessDir, '..', `state-${Date.now()}.json`);
    await addAgents('a1', 'a2');
    expect(await checkpointStatus()).toBe(200);
    await addAgents('a3', 'a4');
    expect(await checkpointStatus()).toBe(200);
    expect(await cli('verify', '--state', state, '--witness', witnessDir)).toMatchObject({ code: 0 });
    await cloud.db.table.delete(keys.auditCheckpoint(2));
    for (const shard of [0, 1]) await cloud.db.table.delete(keys.auditEntry(shard, 2));
    const found = await cli('verify', '--state', state, '--witness', witnessDir);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('rolled back');
    expect(await checkpointStatus()).toBe(503);
    expect((await cli('repair', '--shard', 'LOG', '--reason', 'rolled back')).code).toBe(0);
    await cli('verify');
    for (const shard of ['0', '1'])
      expect((await cli('repair', '--shard', shard, '--reason', 'truncated')).code).toBe(0);
    await addAgents('a5');
    expect(await checkpointStatus()).toBe(200);
    expect(await cli('verify', '--state', state, '--witness', witnessDir)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('quarantined shard 0 entries 2..2'),
    });
  });

  it('answers 503 AUDIT_TAMPERED to writes on a damaged log, and the repair brings them back', async () => {
    await addAgents('a1', 'a2');
    for (const shard of [0, 1]) {
      const tail = await read(shard, 1);
      const { hash: _h, mac: _m, ...rest } = { ...tail, seq: 2, actor: 'mallory', prevHash: tail.hash };
      await write({ ...rest, hash: entryHash(rest), mac: '00'.repeat(32) });
    }
    const statuses: number[] = [];
    for (const id of ['b1', 'b2', 'b3'])
      statuses.push(
        (
          await cloud.call('POST', '/v1/agents', {
            token: cloud.tokens.admin,
            body: { id, office: 'berlin' },
          })
        ).status,
      );
    expect(statuses.at(-1)).toBe(503); // both shards damaged: every audited write waits
    for (const shard of ['0', '1'])
      expect((await cli('repair', '--shard', shard, '--reason', 'forged')).code).toBe(0);
    await addAgents('c1');
    expect(await cli('verify')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('quarantined shard 1 entries 2..2'),
    });
  });

  it("proves a card's result entry on dynalite and checks the proof offline", async () => {
    await pushExample(cloud, 'read-version');
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
    const created = await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: 'agent-berlin-1', encodingId: 'read-version' },
    });
    const { jobId } = (await created.json()) as { jobId: string };
    await cloud.cloud.ingest({
      jobId,
      attempt: 1,
      agentId: 'agent-berlin-1',
      status: 'SUCCEEDED',
      finishedAt: '2026-12-06T10:00:01Z',
      card: { reader: 'R', atr: '3B00', cardNames: [], tokenSerial: 'SERIAL-7' },
      applications: [],
    });
    expect(await checkpointStatus()).toBe(200);
    const proved = await cli('prove', '--card', 'SERIAL-7');
    expect(proved.code).toBe(0);
    const [file, jwks] = ['proof', 'jwks'].map((n) => join(witnessDir, '..', `${n}-${Date.now()}.json`)) as [
      string,
      string,
    ];
    writeFileSync(file, proved.stdout);
    writeFileSync(jwks, await (await cloud.call('GET', '/.well-known/jwks.json')).text());
    expect(await cli('verify-proof', file, '--key', jwks)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('proof holds: 1 entries of card SERIAL-7'),
    });
  });

  it('lands every one of 32 concurrent appends and verifies them', async () => {
    await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        cloud.call('POST', '/v1/agents', {
          token: cloud.tokens.admin,
          body: { id: `c${i}`, office: 'berlin' },
        }),
      ),
    ).then((answers) => expect(answers.map((a) => a.status)).toEqual(Array(32).fill(201)));
    expect(await checkpointStatus()).toBe(200);
    const jwks = join(witnessDir, '..', `jwks-${Date.now()}.json`);
    writeFileSync(jwks, await (await cloud.call('GET', '/.well-known/jwks.json')).text());
    expect(await cli('verify', '--key', jwks)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('checkpoint 1 covers 32'),
    });
  });
});
