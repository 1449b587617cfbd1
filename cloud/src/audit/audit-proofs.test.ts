import { beforeEach, describe, expect, it } from 'vitest';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { indexKeys, keys } from '../storage/table-design';
import { openCheckpoint } from './audit-checkpoints';
import { type AuditEntry, entryLeaf } from './audit-entry';
import { AuditLog } from './audit-log';
import { entryItem } from './audit-shards';
import { memoryWitness } from './checkpoint-witness';
import { verifyConsistency, verifyInclusion } from './merkle';

/**
 * The proofs an auditor checks offline (docs/cloud.md, "Auditor"): a card's entries by
 * inclusion (RFC 6962 §2.1.1) and one checkpoint extending another by consistency
 * (§2.1.2), both against signed tree heads. A proof the cloud hands out must hold, and
 * a log whose checkpoints or entries were changed gets no proof at all.
 */
let table: MemoryTable;
let log: AuditLog;
let signer: Awaited<ReturnType<typeof localSigner>>;
let turn: number;

async function make(shards = 2) {
  table = new MemoryTable();
  turn = 0;
  signer = await localSigner('k1');
  log = new AuditLog(table, signer, localKeyWrapper(new Uint8Array(32).fill(3)), {
    shards,
    witness: memoryWitness(),
    checkpointEvery: 1000,
    now: () => '2026-12-06T10:00:00.000Z',
    // Appends alternate between the shards.
    random: () => (turn++ % shards) / shards,
    sleep: async () => undefined,
    log: () => undefined,
  });
}
const add = (actor: string, cardSerial?: string) =>
  log.append({
    at: '2026-12-06T10:00:00Z',
    actor,
    action: 'job.result',
    office: 'berlin',
    ...(cardSerial ? { cardSerial } : {}),
  });
const hex = (h: string) => Buffer.from(h, 'hex');
const opened = async (jws: string) => {
  const checkpoint = await openCheckpoint(jws, signer.publicKey);
  if (!checkpoint) throw new Error('the checkpoint carries the cloud signature');
  return checkpoint.body;
};

beforeEach(async () => {
  await make();
});

describe('card proofs', () => {
  it('proves every covered entry of a card against the newest checkpoint, and lists the newer ones as pending', async () => {
    for (const [actor, card] of [
      ['a', 'SERIAL-7'],
      ['b', undefined],
      ['c', 'SERIAL-8'],
      ['d', 'SERIAL-7'],
      ['e', undefined],
    ] as const)
      await add(actor, card);
    await log.checkpoint();
    const later = await add('f', 'SERIAL-7');
    const proof = await log.proveCard('SERIAL-7');
    const head = await opened(proof.checkpoint);
    expect(head.size).toBe(5);
    expect(proof.cardSerial).toBe('SERIAL-7');
    expect(proof.entries.map((e) => e.entry.actor).sort()).toEqual(['a', 'd']);
    expect(proof.pending).toEqual([{ shard: later.shard, seq: later.seq }]);
    for (const { entry, index, proof: path } of proof.entries) {
      expect(entry).not.toHaveProperty('mac');
      expect(verifyInclusion(entryLeaf(entry), index, head.size, path.map(hex), hex(head.root))).toBe(true);
      // The same path does not prove the entry at another position.
      expect(verifyInclusion(entryLeaf(entry), index ^ 1, head.size, path.map(hex), hex(head.root))).toBe(
        false,
      );
    }
  });

  it('proves entries of a card across several checkpoints and more than one page of the card index', async () => {
    for (let i = 0; i < 3; i++) await add(`x${i}`, 'SERIAL-9');
    await log.checkpoint();
    for (let i = 3; i < 210; i++) await add(`x${i}`, i % 50 === 0 ? 'SERIAL-9' : 'OTHER');
    await log.checkpoint();
    const proof = await log.proveCard('SERIAL-9');
    const head = await opened(proof.checkpoint);
    expect(head.index).toBe(2);
    expect(proof.entries).toHaveLength(7);
    expect(proof.pending).toEqual([]);
    for (const { entry, index, proof: path } of proof.entries)
      expect(
        verifyInclusion(entryLeaf(entry), index, head.size, path.map(hex), hex(head.root)),
        entry.actor,
      ).toBe(true);
    // More than one page (200) of the card index.
    const other = await log.proveCard('OTHER');
    expect(other.entries.length).toBe(203);
  }, 30_000);

  it('answers a card with no covered entry with no proof, only its pending entries', async () => {
    await add('a', 'SERIAL-1');
    await log.checkpoint();
    const fresh = await add('b', 'SERIAL-2');
    const proof = await log.proveCard('SERIAL-2');
    expect(proof.entries).toEqual([]);
    expect(proof.pending).toEqual([{ shard: fresh.shard, seq: fresh.seq }]);
    expect((await log.proveCard('SERIAL-3')).entries).toEqual([]);
  });

  it('proves against an older checkpoint it is asked for, newer entries pending, and refuses one that is not there', async () => {
    await add('a', 'SERIAL-7');
    await add('b', 'SERIAL-7');
    await log.checkpoint();
    const later = await add('c', 'SERIAL-7');
    await add('d', 'OTHER');
    await log.checkpoint();
    const proof = await log.proveCard('SERIAL-7', 1);
    const head = await opened(proof.checkpoint);
    expect(head).toMatchObject({ index: 1, size: 2 });
    expect(proof.entries.map((e) => e.entry.actor).sort()).toEqual(['a', 'b']);
    expect(proof.pending).toEqual([{ shard: later.shard, seq: later.seq }]);
    for (const { entry, index, proof: path } of proof.entries)
      expect(verifyInclusion(entryLeaf(entry), index, head.size, path.map(hex), hex(head.root))).toBe(true);
    expect((await opened((await log.proveCard('SERIAL-7', 2)).checkpoint)).index).toBe(2);
    for (const at of [0, 3])
      await expect(log.proveCard('SERIAL-7', at), String(at)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ignores a card pointer forged to a position that holds no entry', async () => {
    await add('a', 'SERIAL-7');
    await log.checkpoint();
    await table.put({
      ...keys.auditCardPointer(5, 0),
      ...indexKeys.auditOfCardEntry('SERIAL-7', '2026-12-06T09:00:00Z', 5, 0),
      shard: 5,
      seq: 0,
    });
    const proof = await log.proveCard('SERIAL-7');
    expect(proof.entries.map((e) => e.entry.actor)).toEqual(['a']);
  });

  it('refuses to prove anything under a checkpoint whose signature does not verify', async () => {
    await add('a', 'SERIAL-7');
    await log.checkpoint();
    await add('b', 'SERIAL-7');
    await log.checkpoint();
    const item = await table.get(keys.auditCheckpoint(1));
    const [header, payload] = String(item?.jws).split('.');
    await table.put({ ...item, jws: `${header}.${payload}.${'A'.repeat(86)}` });
    await expect(log.proveCard('SERIAL-7')).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
  });

  it('refuses to prove anything under a checkpoint one of whose entries was deleted', async () => {
    const first = await add('a', 'SERIAL-7');
    await add('b', 'SERIAL-7');
    await log.checkpoint();
    await table.delete(keys.auditEntry(first.shard, first.seq));
    await expect(log.proveCard('SERIAL-7')).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
  });

  it('hands out, for an entry changed in the table, a proof that does not hold', async () => {
    const first = await add('a', 'SERIAL-7');
    await add('b', 'SERIAL-7');
    await log.checkpoint();
    await table.put(entryItem({ ...first, actor: 'mallory' } satisfies AuditEntry));
    const proof = await log.proveCard('SERIAL-7');
    const head = await opened(proof.checkpoint);
    const changed = proof.entries.find((e) => e.entry.actor === 'mallory');
    if (!changed) throw new Error('the changed entry is in the answer');
    expect(
      verifyInclusion(
        entryLeaf(changed.entry),
        changed.index,
        head.size,
        changed.proof.map(hex),
        hex(head.root),
      ),
    ).toBe(false);
  });
  it('proves against the checkpoint it names even when a newer one lands while it reads', async () => {
    await add('a', 'SERIAL-7');
    await add('b', 'SERIAL-7');
    await log.checkpoint();
    const queryPage = table.queryPage.bind(table);
    let raced = false;
    table.queryPage = async (partition, options) => {
      // A scheduled checkpoint lands after the newest one was read and before the leaves are.
      if (!raced && options.index === 'GSI1') {
        raced = true;
        await add('c', 'OTHER');
        await add('d', 'OTHER');
        await log.checkpoint();
      }
      return queryPage(partition, options);
    };
    const proof = await log.proveCard('SERIAL-7');
    const head = await opened(proof.checkpoint);
    expect(head.index).toBe(1);
    expect(proof.entries).toHaveLength(2);
    for (const { entry, index, proof: path } of proof.entries)
      expect(verifyInclusion(entryLeaf(entry), index, head.size, path.map(hex), hex(head.root))).toBe(true);
  });

  it('still answers when an entry no longer links to the one before it (links are for verify)', async () => {
    await add('a', 'SERIAL-7');
    await add('b', 'SERIAL-7');
    const c = await add('c', 'SERIAL-7');
    await log.checkpoint();
    await table.put(entryItem({ ...c, prevHash: 'f'.repeat(64) }));
    const proof = await log.proveCard('SERIAL-7');
    const head = await opened(proof.checkpoint);
    const holds = proof.entries.map(({ entry, index, proof: path }) =>
      verifyInclusion(entryLeaf(entry), index, head.size, path.map(hex), hex(head.root)),
    );
    // The relinked entry is not the one the checkpoint signed: its leaf, and every path
    // through it, no longer leads to the signed head — the auditor sees the change.
    expect(holds).toEqual([false, false, false]);
  });
});

describe('consistency proofs', () => {
  it('proves that the newest checkpoint extends every older one', async () => {
    const sizes = [1, 2, 3, 5, 8];
    let added = 0;
    for (const size of sizes) {
      while (added < size) await add(`a${added++}`);
      await log.checkpoint();
    }
    for (let from = 1; from <= sizes.length; from++) {
      const answer = await log.proveConsistency(from);
      const [older, newer] = [await opened(answer.from), await opened(answer.to)];
      expect([older.index, newer.index]).toEqual([from, sizes.length]);
      const proof = answer.proof.map(hex);
      expect(
        verifyConsistency(older.size, newer.size, hex(older.root), hex(newer.root), proof),
        `from ${from}`,
      ).toBe(true);
      if (older.size < newer.size)
        expect(verifyConsistency(older.size, newer.size, hex(newer.root), hex(newer.root), proof)).toBe(
          false,
        );
    }
  });

  it('refuses a consistency proof from a checkpoint that does not exist', async () => {
    await add('a');
    await log.checkpoint();
    await add('b');
    await log.checkpoint();
    for (const from of [3, 0, -1])
      await expect(log.proveConsistency(from), String(from)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a consistency proof over deleted entries or a checkpoint without its signature', async () => {
    await add('a');
    await log.checkpoint();
    const second = await add('b');
    await add('c');
    await log.checkpoint();
    await add('d');
    await log.checkpoint();
    await table.delete(keys.auditEntry(second.shard, second.seq));
    await expect(log.proveConsistency(1)).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
    await table.put(entryItem(second));
    expect((await log.proveConsistency(1)).proof.length).toBeGreaterThan(0);
    const item = await table.get(keys.auditCheckpoint(2));
    const [header, payload] = String(item?.jws).split('.');
    await table.put({ ...item, jws: `${header}.${payload}.${'A'.repeat(86)}` });
    await expect(log.proveConsistency(1)).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
  });
});
