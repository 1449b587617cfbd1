import { beforeEach, describe, expect, it } from 'vitest';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { keys } from '../storage/table-design';
import { type AuditEntry, entryHash } from './audit-entry';
import { AuditLog } from './audit-log';
import { entryItem } from './audit-shards';
import { memoryWitness } from './checkpoint-witness';

/**
 * Every tampering case of docs/security.md ("Someone with write access to the table"),
 * straight to the table: each is found by verify and refused by the next append or
 * checkpoint — nothing the cloud did not write gets a signature.
 */
describe('audit log: sharded appends, signed checkpoints, tampering found and refused', () => {
  let table: MemoryTable;
  let witness: ReturnType<typeof memoryWitness>;
  let log: AuditLog;
  let turn: number;
  const make = async (shards = 2) => {
    table = new MemoryTable();
    witness = memoryWitness();
    turn = 0;
    const signer = await localSigner('k1');
    // Appends alternate between the shards, so each shard holds several entries.
    log = new AuditLog(table, signer, localKeyWrapper(new Uint8Array(32).fill(3)), {
      shards,
      witness,
      checkpointEvery: 1000,
      now: () => '2026-12-06T10:00:00.000Z',
      random: () => (turn++ % shards) / shards,
      sleep: async () => undefined,
      log: () => undefined,
    });
  };
  const add = (actor: string) =>
    log.append({ at: '2026-12-06T10:00:00Z', actor, action: 'encoding.push', office: 'berlin' });
  const read = async (shard: number, seq: number) =>
    JSON.parse(String((await table.get(keys.auditEntry(shard, seq)))?.entry)) as AuditEntry;
  const write = (entry: AuditEntry) => table.put(entryItem(entry));
  const refused = (promise: Promise<unknown>) =>
    expect(promise).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
  const verifyFinds = async (problem: Record<string, unknown>) =>
    expect(await log.verify()).toMatchObject({ ok: false, ...problem });

  beforeEach(async () => {
    await make();
    for (const actor of ['a', 'b', 'c', 'd', 'e', 'f']) await add(actor); // 3 per shard
    await log.checkpoint(); // checkpoint 1 covers 0/1..3 and 1/1..3
    for (const actor of ['g', 'h', 'i', 'j']) await add(actor); // 0/4..5 and 1/4..5, not covered yet
  });

  it('appends to shards, checkpoints once per batch, publishes to the witness and verifies', async () => {
    expect((await log.entries()).map((e) => `${e.shard}/${e.seq}`).sort()).toEqual([
      '0/1',
      '0/2',
      '0/3',
      '0/4',
      '0/5',
      '1/1',
      '1/2',
      '1/3',
      '1/4',
      '1/5',
    ]);
    expect(await log.verify()).toMatchObject({
      ok: true,
      entries: 10,
      uncovered: 4,
      checkpoint: { index: 1, size: 6 },
    });
    const second = await log.checkpoint();
    expect(second.body).toMatchObject({ index: 2, size: 10 });
    expect(witness.published.get(2)).toBe(second.jws);
    expect(await log.verify({ from: 1 })).toMatchObject({ ok: true, entries: 4, uncovered: 0, from: 1 });
    // Nothing new: no new checkpoint.
    expect((await log.checkpoint()).body.index).toBe(2);
  });

  it('finds a covered entry changed, and refuses the next checkpoint and appends to its shard', async () => {
    await write({ ...(await read(0, 2)), actor: 'mallory' });
    await verifyFinds({ shard: 0, seq: 2, reason: 'content does not match its hash' });
    await refused(log.checkpoint());
    turn = 0; // the next append would pick shard 0: it takes the healthy shard instead
    expect((await add('k')).shard).toBe(1);
  });

  it('finds entries changed with recomputed hashes and links, and refuses to checkpoint them', async () => {
    let prev = (await read(1, 3)).hash;
    for (const seq of [4, 5]) {
      const { hash: _h, mac, ...rest } = { ...(await read(1, seq)), actor: 'mallory', prevHash: prev };
      prev = entryHash(rest);
      await write({ ...rest, hash: prev, mac });
    }
    await refused(log.checkpoint());
    await verifyFinds({ shard: 1, seq: 4, reason: expect.stringContaining('MAC') });
  });

  it('finds the latest checkpoint pointed at a rewritten tail with its old signature kept', async () => {
    const item = await table.get(keys.auditCheckpoint(1));
    const [header, payload, signature] = String(item?.jws).split('.');
    const body = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    body.shards[0].hash = 'f'.repeat(64);
    const forged = Buffer.from(JSON.stringify(body)).toString('base64url');
    await table.put({ ...keys.auditCheckpoint(1), jws: `${header}.${forged}.${signature}` });
    await verifyFinds({ shard: 'LOG', seq: 1 });
    await refused(log.checkpoint());
  });

  it('refuses to link an append to a forged entry at the next position, and to checkpoint it', async () => {
    const tail = await read(0, 5);
    const forged = { ...tail, seq: 6, actor: 'mallory', prevHash: tail.hash };
    const { hash: _h, mac: _m, ...rest } = forged;
    await write({ ...rest, hash: entryHash(rest), mac: 'ab'.repeat(32) });
    turn = 0; // shard 0
    await refused(add('k'));
    await refused(log.checkpoint());
    await verifyFinds({ shard: 0, seq: 6 });
  });

  it('finds an entry deleted, covered or not, and refuses the next checkpoint', async () => {
    await table.delete(keys.auditEntry(0, 3)); // the last entry checkpoint 1 covers in shard 0
    await table.delete(keys.auditEntry(1, 4)); // an entry no checkpoint covers yet
    await refused(log.checkpoint());
    const report = await log.verify();
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ shard: 0, seq: 3, reason: 'entry missing (deleted)' }),
        expect.objectContaining({ shard: 1, seq: 4, reason: 'entry missing (deleted)' }),
      ]),
    );
  });

  it('finds two entries swapped, and refuses the next checkpoint', async () => {
    const [four, five] = [await read(1, 4), await read(1, 5)];
    await table.put({ ...entryItem(five), ...keys.auditEntry(1, 4) });
    await table.put({ ...entryItem(four), ...keys.auditEntry(1, 5) });
    await refused(log.checkpoint());
    await verifyFinds({ shard: 1, seq: 4, reason: expect.stringContaining('swapped') });
  });

  it('finds a checkpoint replaced by an older one with the tail truncated to match, through the witness', async () => {
    await log.checkpoint(); // checkpoint 2 covers everything
    await table.delete(keys.auditCheckpoint(2));
    for (const [shard, seq] of [
      [0, 4],
      [0, 5],
      [1, 4],
      [1, 5],
    ] as const)
      await table.delete(keys.auditEntry(shard, seq));
    // The table alone is consistent again: only the witness knows checkpoint 2.
    await verifyFinds({ shard: 'LOG', reason: expect.stringContaining('rolled back') });
    await refused(log.checkpoint());
  });
});
