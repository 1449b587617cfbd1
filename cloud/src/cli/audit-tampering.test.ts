import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditCli, type Cloud, cloudWith } from '../../../test/support/audit-test-cloud';
import { type AuditEntry, entryHash } from '../audit/audit-entry';
import { entryItem } from '../audit/audit-shards';
import { keys } from '../storage/table-design';

/**
 * Each tampering case of docs/security.md is caught by GET /v1/audit/verify and by
 * `cardfleet audit verify`, and refused by the next checkpoint (503 AUDIT_TAMPERED).
 */
describe('audit tampering, detected through the API and the admin CLI, refused by the next checkpoint', () => {
  let cloud: Cloud;
  let state: string;
  const read = async (shard: number, seq: number) =>
    JSON.parse(String((await cloud.table.get(keys.auditEntry(shard, seq)))?.entry)) as AuditEntry;
  const write = (entry: AuditEntry) => cloud.table.put(entryItem(entry));
  const cli = (...argv: string[]) => auditCli(cloud, ...argv);
  const checkpointAnswer = async () => {
    const response = await cloud.call('POST', '/v1/audit/checkpoint', { token: cloud.tokens.admin });
    return {
      status: response.status,
      code: ((await response.json()) as { error?: { code?: string } }).error?.code,
    };
  };

  beforeEach(async () => {
    cloud = await cloudWith(2);
    state = join(mkdtempSync(join(tmpdir(), 'cardfleet-audit-')), 'state.json');
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'])
      await cloud.call('POST', '/v1/agents', { token: cloud.tokens.admin, body: { id, office: 'berlin' } });
    expect((await checkpointAnswer()).status).toBe(200); // checkpoint 1: 0/1..3, 1/1..3
    expect(await cli('verify', '--state', state)).toMatchObject({ code: 0 });
    for (const id of ['a7', 'a8'])
      await cloud.call('POST', '/v1/agents', { token: cloud.tokens.admin, body: { id, office: 'berlin' } });
  });

  const cases: [string, () => Promise<void>, string][] = [
    ['an entry changed', async () => void (await write({ ...(await read(0, 3)), actor: 'mallory' })), '0/3'],
    [
      'an entry changed with its hash recomputed',
      async () => {
        const { hash: _h, mac, ...rest } = { ...(await read(1, 4)), actor: 'mallory' };
        await write({ ...rest, hash: entryHash(rest), mac });
      },
      '1/4',
    ],
    [
      'the latest checkpoint pointed at a rewritten tail, its old signature kept',
      async () => {
        const [header, payload, signature] = String(
          (await cloud.table.get(keys.auditCheckpoint(1)))?.jws,
        ).split('.');
        const body = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
        body.shards[1].hash = 'f'.repeat(64);
        const forged = `${header}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
        await cloud.table.put({ ...keys.auditCheckpoint(1), jws: forged });
      },
      'checkpoint/1',
    ],
    [
      'a forged entry at the next position',
      async () => {
        const tail = await read(0, 4);
        const { hash: _h, mac: _m, ...rest } = { ...tail, seq: 5, actor: 'mallory', prevHash: tail.hash };
        await write({ ...rest, hash: entryHash(rest), mac: '00'.repeat(32) });
      },
      '0/5',
    ],
    ['an entry deleted', () => cloud.table.delete(keys.auditEntry(1, 2)), '1/2'],
    [
      'two entries swapped',
      async () => {
        const [two, three] = [await read(0, 2), await read(0, 3)];
        await cloud.table.put({ ...entryItem(three), ...keys.auditEntry(0, 2) });
        await cloud.table.put({ ...entryItem(two), ...keys.auditEntry(0, 3) });
      },
      '0/2',
    ],
  ];

  it.each(cases)('detects %s', async (_name, tamper, where) => {
    await tamper();
    const api = (await (
      await cloud.call('GET', '/v1/audit/verify', { token: cloud.tokens.auditor })
    ).json()) as {
      ok: boolean;
      problems: { shard: number | string; seq: number }[];
    };
    expect(api.ok).toBe(false);
    // A full verify (no kept state): entries under an old checkpoint are read again.
    const found = await cli('verify');
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`audit log BROKEN at ${where}`);
    expect(found.stdout).toContain('ALERT'); // the alert the cloud raised is shown
    expect(await checkpointAnswer()).toEqual({ status: 503, code: 'AUDIT_TAMPERED' });
  });

  it('detects a checkpoint replaced by an older one with the tail truncated, by the witness and by the auditor state', async () => {
    expect((await checkpointAnswer()).status).toBe(200); // checkpoint 2 covers a7, a8
    expect(await cli('verify', '--state', state)).toMatchObject({ code: 0 }); // the auditor saw 2
    await cloud.table.delete(keys.auditCheckpoint(2));
    for (const shard of [0, 1]) await cloud.table.delete(keys.auditEntry(shard, 4));
    const found = await cli('verify', '--state', state);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('rolled back');
    expect(await checkpointAnswer()).toEqual({ status: 503, code: 'AUDIT_TAMPERED' });
  });

  it('verifies incrementally from the checkpoint the auditor kept, with a consistency proof', async () => {
    expect((await checkpointAnswer()).status).toBe(200);
    const incremental = await cli('verify', '--state', state);
    expect(incremental).toMatchObject({ code: 0, stdout: expect.stringContaining('since checkpoint 1') });
    expect(incremental.stdout).toMatch(
      /audit log intact: 2 entries checked since checkpoint 1; checkpoint 2 covers 8/,
    );
    // A state file naming a checkpoint the cloud never made is not extended by any proof.
    writeFileSync(state, JSON.stringify({ index: 1, size: 6, root: 'ab'.repeat(32), checkpoint: 'x.y.z' }));
    expect(await cli('verify', '--state', state)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('consistency proof'),
    });
  });
});
