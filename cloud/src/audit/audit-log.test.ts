import { beforeEach, describe, expect, it } from 'vitest';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { keys } from '../storage/table-design';
import { type AuditEntry, chainEntry, entryHash, GENESIS_HASH } from './audit-chain';
import { AuditLog } from './audit-log';

describe('audit log', () => {
  let table: MemoryTable;
  let signer: Awaited<ReturnType<typeof localSigner>>;
  let log: AuditLog;
  beforeEach(async () => {
    table = new MemoryTable();
    signer = await localSigner('k1');
    log = new AuditLog(table, signer);
    for (const actor of ['a', 'b', 'c', 'd', 'e']) {
      await log.append({ at: '2026-11-29T10:00:00Z', actor, action: 'encoding.push', office: 'berlin' });
    }
  });

  // Tampering goes around the log, straight to the table.
  const rawPut = (entry: AuditEntry) =>
    table.put({ ...keys.auditEntry('main', entry.seq), entry: JSON.stringify(entry) });
  const rawDelete = (seq: number) => table.delete(keys.auditEntry('main', seq));

  it('appends gapless, linked entries and verifies them', async () => {
    expect((await log.entries()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await log.verify(signer.publicKey)).toEqual({ ok: true, entries: 5 });
  });

  it('detects a modified entry', async () => {
    const [, second] = await log.entries();
    await rawPut({ ...(second as AuditEntry), actor: 'mallory' });
    expect(await log.verify(signer.publicKey)).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a deleted middle entry', async () => {
    await rawDelete(3);
    expect(await log.verify(signer.publicKey)).toMatchObject({ ok: false, seq: 3 });
  });

  it('detects a deleted last entry through the signed head', async () => {
    await rawDelete(5);
    expect(await log.verify(signer.publicKey)).toMatchObject({ ok: false, seq: 5 });
  });

  it('detects reordered entries', async () => {
    const entries = await log.entries();
    await rawPut({ ...(entries[2] as AuditEntry), seq: 2 });
    await rawPut({ ...(entries[1] as AuditEntry), seq: 3 });
    expect(await log.verify(signer.publicKey)).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a chain whose hashes were all recomputed', async () => {
    let prev = GENESIS_HASH;
    for (const entry of await log.entries()) {
      const { hash: _hash, ...rest } = {
        ...entry,
        actor: entry.seq === 2 ? 'mallory' : entry.actor,
        prevHash: prev,
      };
      const hash = entryHash(rest);
      prev = hash;
      await rawPut({ ...rest, hash });
    }
    expect(await log.verify(signer.publicKey)).toMatchObject({ ok: false });
  });

  it('repairs the head after a crash between the entry write and the head update', async () => {
    const entries = await log.entries();
    const last = entries.at(-1) as AuditEntry;
    // A crashed append: entry 6 written, head still at 5.
    const orphan = chainEntry(
      { at: '2026-11-29T11:00:00Z', actor: 'f', action: 'job.result', office: 'berlin' },
      6,
      last.hash,
    );
    await rawPut(orphan);
    const next = await log.append({
      at: '2026-11-29T11:00:01Z',
      actor: 'g',
      action: 'job.result',
      office: 'berlin',
    });
    expect(next.seq).toBe(7);
    expect(await log.verify(signer.publicKey)).toEqual({ ok: true, entries: 7 });
  });
});
