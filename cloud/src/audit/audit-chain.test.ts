import { describe, expect, it } from 'vitest';
import { type AuditEntry, chainEntry, entryHash, GENESIS_HASH, verifyChain } from './audit-chain';

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry = chainEntry(
      { at: `2026-11-29T10:00:0${seq}Z`, actor: 'admin', action: 'encoding.push', office: 'berlin' },
      seq,
      prev,
    );
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}
const headOf = (entries: AuditEntry[]) => ({
  seq: entries.at(-1)?.seq ?? 0,
  hash: entries.at(-1)?.hash ?? GENESIS_HASH,
});

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    const entries = chain(5);
    expect(verifyChain(entries, headOf(entries))).toEqual({ ok: true, entries: 5 });
  });

  it('detects a modified entry', () => {
    const entries = chain(5);
    const head = headOf(entries);
    entries[2] = { ...(entries[2] as AuditEntry), actor: 'mallory' };
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, seq: 3 });
  });

  it('detects a deleted middle entry and a deleted last entry', () => {
    const entries = chain(5);
    const head = headOf(entries);
    expect(verifyChain([...entries.slice(0, 2), ...entries.slice(3)], head)).toMatchObject({
      ok: false,
      seq: 3,
    });
    expect(verifyChain(entries.slice(0, 4), head)).toMatchObject({ ok: false, seq: 5 });
  });

  it('detects reordered entries', () => {
    const entries = chain(4);
    const swapped = [entries[0], entries[2], entries[1], entries[3]] as AuditEntry[];
    expect(verifyChain(swapped, headOf(entries))).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a chain whose hashes were all recomputed after a change, by its signed head', () => {
    const entries = chain(4);
    const head = headOf(entries);
    let prev = GENESIS_HASH;
    const forged = entries.map((e) => {
      const { hash: _hash, ...rest } = { ...e, actor: e.seq === 2 ? 'mallory' : e.actor, prevHash: prev };
      const hash = entryHash(rest);
      prev = hash;
      return { ...rest, hash };
    });
    expect(verifyChain(forged, undefined)).toMatchObject({ ok: false });
    expect(verifyChain(forged, head)).toMatchObject({ ok: false, seq: 4 });
  });
});
