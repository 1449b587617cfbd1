import { beforeEach, describe, expect, it } from 'vitest';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { keys } from '../storage/table-design';
import { signCheckpoint } from './audit-checkpoints';
import type { AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';
import { entryItem } from './audit-shards';
import { memoryWitness } from './checkpoint-witness';

/**
 * Changes to the audit table that `audit verify` must find (docs/security.md, "Someone
 * with write access to the table"; docs/cloud.md, "Auditor"), beyond those of
 * audit-log.test.ts: each fails when the check that finds it is removed
 * (docs/mutation-testing.md). Entries alternate between two shards.
 */
let table: MemoryTable;
let log: AuditLog;
let signer: Awaited<ReturnType<typeof localSigner>>;
let turn: number;
const lines: string[] = [];

const auditLog = (on: MemoryTable) =>
  new AuditLog(on, signer, localKeyWrapper(new Uint8Array(32).fill(3)), {
    shards: 2,
    witness: memoryWitness(),
    checkpointEvery: 1000,
    now: () => '2026-12-06T10:00:00.000Z',
    random: () => (turn++ % 2) / 2,
    sleep: async () => undefined,
    log: (line) => lines.push(line),
  });

beforeEach(async () => {
  table = new MemoryTable();
  turn = 0;
  lines.length = 0;
  signer = await localSigner('k1');
  log = auditLog(table);
});

const add = (actor: string) =>
  log.append({ at: '2026-12-06T10:00:00Z', actor, action: 'encoding.push', office: 'berlin' });
const addAll = async (...actors: string[]) => {
  for (const actor of actors) await add(actor);
};
const checkpointItem = async (index: number) => {
  const item = await table.get(keys.auditCheckpoint(index));
  if (!item) throw new Error(`checkpoint ${index} is stored`);
  return item;
};

describe('audit verify attacks', () => {
  it('reports an empty log as intact, with nothing checked and no checkpoint', async () => {
    const report = await log.verify();
    expect(report).toStrictEqual({
      ok: true,
      entries: 0,
      uncovered: 0,
      problems: [],
      quarantined: [],
      alerts: [],
    });
  });

  it('reports every entry of an intact log, covered or not, and the newest checkpoint', async () => {
    await addAll('a', 'b', 'c');
    const first = await log.checkpoint();
    await addAll('d', 'e');
    const second = await log.checkpoint();
    await add('f');
    const report = await log.verify();
    expect(report).toStrictEqual({
      ok: true,
      entries: 6,
      uncovered: 1,
      checkpoint: { index: 2, size: 5, root: second.body.root, jws: second.jws },
      problems: [],
      quarantined: [],
      alerts: [],
    });
    expect(first.body.size).toBe(3);
    // From a checkpoint on: only what came after it, and which checkpoint it started from.
    expect(await log.verify({ from: 1 })).toMatchObject({ ok: true, entries: 3, uncovered: 1, from: 1 });
    expect(await log.verify({ from: 2 })).toMatchObject({
      ok: true,
      entries: 1,
      uncovered: 1,
      from: 2,
      checkpoint: { index: 2, jws: second.jws },
    });
  });

  it('finds a signed checkpoint copied to another position in the chain', async () => {
    await addAll('a', 'b');
    await log.checkpoint();
    await add('c');
    await log.checkpoint();
    const second = await checkpointItem(2);
    await table.put({ ...keys.auditCheckpoint(3), jws: String(second.jws) });
    const report = await log.verify();
    expect(report).toMatchObject({
      ok: false,
      shard: 'LOG',
      seq: 3,
      reason: "checkpoint 3 does not carry the cloud's signature",
    });
  });

  it('finds a checkpoint taken out of the middle of the chain', async () => {
    await addAll('a', 'b');
    await log.checkpoint();
    await add('c');
    await log.checkpoint();
    await add('d');
    await log.checkpoint();
    await table.delete(keys.auditCheckpoint(2));
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      shard: 'LOG',
      seq: 3,
      reason: 'checkpoint 3 does not follow checkpoint 1',
    });
  });

  it('raises an alert for each problem it finds, and reports the first one on the report itself', async () => {
    const a = await add('a');
    await add('b');
    await log.checkpoint();
    await table.put(entryItem({ ...a, actor: 'mallory' } satisfies AuditEntry));
    const report = await log.verify();
    expect(report).toMatchObject({
      ok: false,
      shard: a.shard,
      seq: a.seq,
      reason: 'content does not match its hash',
    });
    expect(report.alerts).toEqual([
      expect.objectContaining({ shard: a.shard, seq: a.seq, reason: 'content does not match its hash' }),
    ]);
    expect(lines.some((line) => line.startsWith('AUDIT ALERT'))).toBe(true);
  });

  it('finds an uncovered entry changed after the newest checkpoint, in the not-yet-covered window', async () => {
    await addAll('a', 'b');
    await log.checkpoint();
    const c = await add('c');
    await table.put(entryItem({ ...c, office: 'paris' }));
    expect(await log.verify()).toMatchObject({ ok: false, shard: c.shard, seq: c.seq });
  });

  it('finds the end of a shard changed under a checkpoint even when its entries still link', async () => {
    await addAll('a', 'b', 'c', 'd');
    await log.checkpoint();
    // The newest covered entry of shard 1 removed: the walk ends before the position the
    // checkpoint signed.
    const item = await checkpointItem(1);
    const body = JSON.parse(Buffer.from(String(item.jws).split('.')[1] ?? '', 'base64url').toString());
    const last = body.shards[1].seq as number;
    await table.delete(keys.auditEntry(1, last));
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ shard: 1, seq: last }));
  });

  it('reports a repaired shard as quarantined, not broken, and checks the entries after it', async () => {
    const a = await add('a');
    await addAll('b', 'c', 'd');
    await log.checkpoint();
    await table.put(entryItem({ ...a, actor: 'mallory' }));
    expect((await log.verify()).ok).toBe(false);
    await log.repair({ shard: a.shard, from: a.seq, to: a.seq, reason: 'forged', by: 'alice' });
    await addAll('e', 'f');
    await log.checkpoint();
    const report = await log.verify();
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.quarantined).toEqual([
      expect.objectContaining({ shard: a.shard, from: a.seq, to: a.seq, reason: 'forged', by: 'alice' }),
    ]);
    expect(report.quarantined[0]).not.toHaveProperty('id');
  });

  it('finds a checkpoint signed by the cloud for another history (its prev names another checkpoint)', async () => {
    await addAll('a', 'b');
    await log.checkpoint();
    await add('c');
    await log.checkpoint();
    // The same key signed another log's checkpoints 1 and 2 (a second table, a restore).
    const other = new MemoryTable();
    const otherLog = auditLog(other);
    for (const actor of ['x', 'y'])
      await otherLog.append({ at: '2026-12-06T10:00:00Z', actor, action: 'a', office: 'o' });
    await otherLog.checkpoint();
    await otherLog.append({ at: '2026-12-06T10:00:00Z', actor: 'z', action: 'a', office: 'o' });
    const foreign = await otherLog.checkpoint();
    expect(foreign.body.index).toBe(2);
    await table.put({ ...keys.auditCheckpoint(2), jws: foreign.jws });
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      shard: 'LOG',
      seq: 2,
      reason: 'checkpoint 2 does not follow checkpoint 1',
    });
  });

  it('reports a damaged covered entry once, as the entry, not again as its checkpoint', async () => {
    await addAll('a', 'b', 'c');
    await log.checkpoint();
    const item = await table.get(keys.auditEntry(1, 1));
    await table.put({ ...item, entry: String(item?.entry).replace('"actor":"b"', '"actor":"m"') });
    const report = await log.verify();
    expect(report.problems).toEqual([{ shard: 1, seq: 1, reason: 'content does not match its hash' }]);
  });

  // The cloud's key signing a checkpoint its entries do not bear out (a bug, or the key
  // misused): the entries are all genuine, only the signed head or position is not.
  it('finds a signed checkpoint whose tree head does not follow from its entries', async () => {
    await addAll('a', 'b', 'c');
    const genuine = await log.checkpoint();
    const root = 'ab'.repeat(32);
    const forged = await signCheckpoint(signer, {
      ...genuine.body,
      root,
      frontier: [{ size: genuine.body.size, hash: root }],
    });
    await table.put({ ...keys.auditCheckpoint(1), jws: forged.jws });
    expect((await log.verify()).problems).toContainEqual({
      shard: 'LOG',
      seq: 1,
      reason: 'checkpoint 1 does not match its entries',
    });
  });

  it('finds a signed checkpoint whose shard position is not the entry there', async () => {
    await addAll('a', 'b', 'c');
    const genuine = await log.checkpoint();
    const [first, ...rest] = genuine.body.shards;
    if (!first) throw new Error('the checkpoint covers shard 0');
    const forged = await signCheckpoint(signer, {
      ...genuine.body,
      shards: [{ ...first, hash: 'f'.repeat(64) }, ...rest],
    });
    await table.put({ ...keys.auditCheckpoint(1), jws: forged.jws });
    expect((await log.verify()).problems).toContainEqual({
      shard: 0,
      seq: first.seq,
      reason: 'is not the entry checkpoint 1 covers',
    });
  });
});
