import { describe, expect, it } from 'vitest';
import type { AgentStore } from '../agents/agent-store';
import type { AuditLog } from '../audit/audit-log';
import { MemoryTable } from '../storage/memory-table';
import { DEFAULT_RETRY_POLICY } from '../storage/optimistic-retry';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';
import { boundedReason, REJECTION_REASON_MAX, RejectionReports } from './rejection-reports';

/**
 * Attacks on what an agent may write into the audit trail through a rejection report
 * (docs/security.md, "An enrolled agent"), each failing when the bound that stops it is
 * removed (docs/mutation-testing.md).
 */
describe('rejection report attacks', () => {
  it('keeps a reason of exactly the longest length whole, and cuts one a character longer, saying how long it was', () => {
    const longest = 'E'.repeat(REJECTION_REASON_MAX);
    expect(boundedReason(longest)).toEqual({ reason: longest });
    expect(boundedReason(`${longest}X`)).toEqual({ reason: longest, reasonLength: REJECTION_REASON_MAX + 1 });
  });

  it('replaces every character outside the plain charset, not only the first', () => {
    expect(boundedReason('a\nb\rc=d"e')).toEqual({ reason: 'a?b?c?d?e' });
    expect(boundedReason('ENVELOPE_EXPIRED: job-1.2 ok')).toEqual({ reason: 'ENVELOPE_EXPIRED: job-1.2 ok' });
  });

  const AT = '2026-12-06T03:00:30.000Z';
  const rejection = (n: number) => ({
    reason: 'ENVELOPE_SIGNATURE',
    envelopeSha256: n.toString(16).padStart(64, '0'),
  });
  function reports(table: Table = new MemoryTable(), options = {}) {
    const written: { key: string; action: string }[] = [];
    const audit = {
      appendOnce: async (key: string, content: { action: string }) => {
        if (!written.some((w) => w.key === key)) written.push({ key, action: content.action });
      },
    } as unknown as AuditLog;
    const agents = {
      get: async (id: string) =>
        id === 'agent-1' ? { id, office: 'berlin', state: 'ACTIVE', createdAt: AT } : undefined,
    } as unknown as Pick<AgentStore, 'get'>;
    return {
      table,
      written,
      reports: new RejectionReports(table, agents, audit, () => AT, { perMinute: 2, ...options }),
    };
  }

  it('says which reports became entries, and writes the budget-spent entry only once over it', async () => {
    const { reports: r, written } = reports();
    expect(await r.record('agent-1', rejection(1), AT)).toBe(true);
    expect(written.map((w) => w.action)).toEqual(['envelope.rejected']);
    expect(await r.record('agent-1', rejection(2), AT)).toBe(true);
    expect(await r.record('agent-1', rejection(3), AT)).toBe(false);
    expect(await r.record('agent-1', rejection(4), AT)).toBe(false);
    expect(written.map((w) => w.action)).toEqual([
      'envelope.rejected',
      'envelope.rejected',
      'envelope.rejections-limited',
    ]);
  });

  it('stops writing the counter once the minute is spent, and lets it expire an hour after (TTL)', async () => {
    const { reports: r, table } = reports();
    for (let n = 0; n < 6; n++) await r.record('agent-1', rejection(n), AT);
    const counter = await table.get(keys.agentRejectionBudget('agent-1', '2026-12-06T03:00Z'));
    expect(counter).toMatchObject({ count: 3, expiresAt: Math.floor(Date.parse(AT) / 1000) + 3600 });
  });

  it('gives up on a counter that keeps changing after the attempts it was given', async () => {
    const memory = new MemoryTable();
    let writes = 0;
    const contended = Object.assign(Object.create(memory), {
      putIfVersion: async () => {
        writes++;
        return false;
      },
    }) as Table;
    const { reports: r } = reports(contended, {
      retryPolicy: { ...DEFAULT_RETRY_POLICY, attempts: 2, sleep: async () => {} },
    });
    await expect(r.record('agent-1', rejection(1), AT)).rejects.toMatchObject({ code: 'WRITE_CONTENTION' });
    expect(writes).toBe(2);
  });
});
