import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { auditCli, type Cloud, cloudWith } from '../../../test/support/audit-test-cloud';
import { addEnrolledAgent, pushExample } from '../../../test/support/test-cloud';
import { type AuditEntry, entryHash } from '../audit/audit-entry';
import type { CardProof } from '../audit/audit-proofs';
import { entryItem } from '../audit/audit-shards';
import { keys } from '../storage/table-design';

const addAgent = async (cloud: Cloud, id: string) => {
  const response = await cloud.call('POST', '/v1/agents', {
    token: cloud.tokens.admin,
    body: { id, office: 'berlin' },
  });
  return { status: response.status, body: (await response.json()) as { error?: { code?: string } } };
};

/** The repair procedure of docs/cloud.md ("Auditor"), end to end through the API and the CLI. */
describe('audit repair: a table writer cannot stop the service for good', () => {
  it('answers 503 AUDIT_TAMPERED to writes that need a damaged shard, and a repair brings them back', async () => {
    const cloud = await cloudWith(1);
    for (const id of ['a1', 'a2', 'a3']) expect((await addAgent(cloud, id)).status).toBe(201);
    const tail = JSON.parse(String((await cloud.table.get(keys.auditEntry(0, 3)))?.entry)) as AuditEntry;
    const { hash: _h, mac: _m, ...rest } = { ...tail, seq: 4, actor: 'mallory', prevHash: tail.hash };
    await cloud.table.put(entryItem({ ...rest, hash: entryHash(rest), mac: '00'.repeat(32) }));
    const refused = await addAgent(cloud, 'a4');
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'AUDIT_TAMPERED' } } });
    expect((await addAgent(cloud, 'a5')).status).toBe(503); // still: the alert is open
    const broken = await auditCli(cloud, 'verify');
    expect(broken).toMatchObject({ code: 1, stdout: expect.stringContaining('ALERT shard 0 at 4') });
    expect(
      await auditCli(cloud, 'repair', '--shard', '0', '--reason', 'forged entry found by verify'),
    ).toMatchObject({ code: 0 });
    expect((await addAgent(cloud, 'a6')).status).toBe(201);
    expect((await auditCli(cloud, 'checkpoint')).code).toBe(0);
    const repaired = await auditCli(cloud, 'verify');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(
      'quarantined shard 0 entries 4..4 by alice: forged entry found by verify',
    );
    expect(repaired.stdout).toContain('(repaired');
    const entries = await cloud.cloud.audit.entries();
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['audit.repair']));
  });

  it('puts rolled-back checkpoints back from the witness, then quarantines the truncated entries', async () => {
    const cloud = await cloudWith(2);
    for (const id of ['a1', 'a2', 'a3', 'a4']) await addAgent(cloud, id);
    expect((await auditCli(cloud, 'checkpoint')).code).toBe(0);
    for (const id of ['a5', 'a6']) await addAgent(cloud, id);
    expect((await auditCli(cloud, 'checkpoint')).code).toBe(0);
    await cloud.table.delete(keys.auditCheckpoint(2));
    for (const shard of [0, 1]) await cloud.table.delete(keys.auditEntry(shard, 3));
    expect((await auditCli(cloud, 'verify')).stdout).toContain('rolled back');
    expect(
      await auditCli(cloud, 'repair', '--shard', 'LOG', '--reason', 'checkpoints rolled back'),
    ).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('"restored":[2]'),
    });
    // Checkpoint 2 is back; the entries it covers are gone: each shard is damaged.
    const missing = await auditCli(cloud, 'verify');
    expect(missing.stdout).toContain('audit log BROKEN at 0/3');
    expect(missing.stdout).toContain('audit log BROKEN at 1/3');
    for (const shard of ['0', '1'])
      expect(
        await auditCli(cloud, 'repair', '--shard', shard, '--reason', 'truncated by a table writer'),
      ).toMatchObject({ code: 0 });
    expect((await addAgent(cloud, 'a7')).status).toBe(201);
    expect(await auditCli(cloud, 'checkpoint')).toMatchObject({ code: 0 });
    expect(await auditCli(cloud, 'verify')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('quarantined shard 1 entries 3..3'),
    });
  });
});

describe('audit prove and verify-proof', () => {
  it("proves a card's entries against a signed checkpoint, offline, and refuses a changed entry, a wrong key and a stale checkpoint", async () => {
    const cloud = await cloudWith(2);
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
      card: { reader: 'R', atr: '3B00', cardNames: [], tokenSerial: 'SERIAL-42' },
      applications: [],
    });
    await auditCli(cloud, 'checkpoint');
    const dir = mkdtempSync(join(tmpdir(), 'cardfleet-proof-'));
    const proved = await auditCli(cloud, 'prove', '--card', 'SERIAL-42');
    expect(proved.code).toBe(0);
    const proof = JSON.parse(proved.stdout) as CardProof;
    expect(proof.entries.map((e) => [e.entry.action, e.entry.details?.cardSerial])).toEqual([
      ['job.result', 'SERIAL-42'],
    ]);
    const [file, jwks, state] = ['proof.json', 'jwks.json', 'state.json'].map((n) => join(dir, n)) as [
      string,
      string,
      string,
    ];
    writeFileSync(file, proved.stdout);
    writeFileSync(jwks, await (await cloud.call('GET', '/.well-known/jwks.json')).text());
    const offline = (...extra: string[]) =>
      auditCli(cloud, 'verify-proof', file, '--key', jwks, '--state', state, ...extra);
    expect(await offline()).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('proof holds: 1 entries of card SERIAL-42'),
    });
    // A changed entry.
    const changed = structuredClone(proof);
    if (changed.entries[0]) changed.entries[0].entry.actor = 'mallory';
    writeFileSync(file, JSON.stringify(changed));
    expect(await offline()).toMatchObject({ code: 1, stdout: expect.stringContaining('is not in the log') });
    writeFileSync(file, proved.stdout);
    // A wrong key (same kid, another key).
    const other = {
      ...(await exportJWK((await generateKeyPair('ES256')).publicKey)),
      kid: 'k1',
      alg: 'ES256',
    };
    const good = readFileSync(jwks, 'utf8');
    writeFileSync(jwks, JSON.stringify({ keys: [other] }));
    expect(await offline()).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('does not carry a signature'),
    });
    writeFileSync(jwks, good);
    // A stale checkpoint: this auditor already verified a newer one.
    writeFileSync(state, JSON.stringify({ index: 5, size: 100, root: 'ab'.repeat(32), checkpoint: 'x' }));
    expect(await offline()).toMatchObject({ code: 1, stdout: expect.stringContaining('stale checkpoint') });
  });
});
