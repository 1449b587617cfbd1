import type { JobResult } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../agents/agent-store';
import type { AuditContent } from '../audit/audit-entry';
import { type RevokedResultDeps, refuseRevokedResult } from './revoked-results';

/**
 * Attacks of a stolen, revoked agent key on the audit trail (docs/security.md,
 * "Revocation"): its results are refused, and only an execution the cloud really sent
 * that agent gets one audit entry — no entry per made-up job, attempt or envelope. Each
 * test fails when the check that stops it is removed (docs/mutation-testing.md).
 */
const agent: Agent = { id: 'agent-1', office: 'berlin', state: 'REVOKED', createdAt: '2026-01-01T00:00:00Z' };
const result = (over: Partial<JobResult> = {}): JobResult => ({
  jobId: 'job-1',
  attempt: 2,
  agentId: 'agent-1',
  status: 'SUCCEEDED',
  finishedAt: '2026-12-06T03:00:00.000Z',
  applications: [],
  ...over,
});

function deps() {
  const entries: { key: string; content: AuditContent }[] = [];
  const d: RevokedResultDeps = {
    audit: {
      appendOnce: async (key: string, content: AuditContent) => {
        entries.push({ key, content });
      },
    } as unknown as RevokedResultDeps['audit'],
    jobs: {
      get: async (id: string) =>
        id === 'job-1' ? ({ jobId: 'job-1', agentId: 'agent-1', attempt: 2 } as never) : undefined,
    },
    envelopes: {
      find: async (sha: string) =>
        sha === 'a'.repeat(64)
          ? { jobId: 'job-1', attempt: 2, agentId: 'agent-1' }
          : sha === 'b'.repeat(64)
            ? { jobId: 'job-9', attempt: 1, agentId: 'agent-2' }
            : undefined,
    },
    now: () => '2026-12-06T04:00:00.000Z',
  };
  return { d, entries };
}

describe('revoked agent result attacks', () => {
  it('audits a result for an execution the cloud sent it, once per execution, at the cloud’s time in its office', async () => {
    const { d, entries } = deps();
    await expect(refuseRevokedResult(d, agent, result())).rejects.toMatchObject({ code: 'AGENT_REVOKED' });
    expect(entries).toEqual([
      {
        key: 'revoked-result:agent-1:job-1:2',
        content: {
          at: '2026-12-06T04:00:00.000Z',
          actor: 'agent:agent-1',
          action: 'result.rejected',
          office: 'berlin',
          agentId: 'agent-1',
          details: { jobId: 'job-1', attempt: 2, status: 'SUCCEEDED', reason: 'AGENT_REVOKED' },
        },
      },
    ]);
  });

  it('audits nothing for an attempt the job never had, or a job of another agent', async () => {
    const { d, entries } = deps();
    for (const bad of [result({ attempt: 3 }), result({ jobId: 'job-2' })])
      await expect(refuseRevokedResult(d, agent, bad)).rejects.toMatchObject({ code: 'AGENT_REVOKED' });
    await expect(
      refuseRevokedResult(d, { ...agent, id: 'agent-2' }, result({ agentId: 'agent-2' })),
    ).rejects.toMatchObject({ code: 'AGENT_REVOKED' });
    expect(entries).toEqual([]);
  });

  it('audits an earlier attempt of its own job (its outbox may still hold one)', async () => {
    const { d, entries } = deps();
    await expect(refuseRevokedResult(d, agent, result({ attempt: 1 }))).rejects.toMatchObject({
      code: 'AGENT_REVOKED',
    });
    expect(entries.map((e) => e.key)).toEqual(['revoked-result:agent-1:job-1:1']);
  });

  it('audits a rejection report only for an envelope sent to this agent, named by the envelope’s execution', async () => {
    const { d, entries } = deps();
    const report = (envelopeSha256: string) =>
      result({ jobId: 'unknown', status: 'REJECTED', rejection: { reason: 'X', envelopeSha256 } });
    for (const sha of ['b'.repeat(64), 'c'.repeat(64), 'a'.repeat(64)])
      await expect(refuseRevokedResult(d, agent, report(sha))).rejects.toMatchObject({
        code: 'AGENT_REVOKED',
      });
    expect(entries.map((e) => [e.key, e.content.details])).toEqual([
      [
        'revoked-result:agent-1:job-1:2',
        { jobId: 'job-1', attempt: 2, status: 'REJECTED', reason: 'AGENT_REVOKED' },
      ],
    ]);
  });
});
