import { describe, expect, it } from 'vitest';
import type { Job } from '../jobs/job';
import { type RevocationDeps, revokeAgent } from './agent-revocation';

/**
 * Revocation racing the agent (docs/security.md, "Revocation"): a job that closes
 * between the listing and its cancellation is no error, any other failure is not
 * swallowed, and the broker is told only once every open job has ended. Each test
 * fails when the check that decides it is removed (docs/mutation-testing.md).
 */
type Stub = { jobId: string; agentId: string; state: Job['state'] };

function deps(open: Stub[], onMove: (jobId: string) => void | Promise<void>, after: Record<string, Stub>) {
  const calls: string[] = [];
  const d = {
    agents: {
      revoke: async (id: string, actor: string) => {
        calls.push(`revoke ${id} by ${actor}`);
        return { id, office: 'berlin', state: 'REVOKED', createdAt: '2026-01-01T00:00:00Z' };
      },
    },
    jobs: {
      listOpen: async () => open as unknown as Job[],
      move: async (jobId: string, state: string, by: { cause: string; by: string; reason?: string }) => {
        await onMove(jobId);
        calls.push(`move ${jobId} ${state} ${by.cause} ${by.by} ${by.reason}`);
      },
      get: async (jobId: string) => after[jobId] as unknown as Job | undefined,
    },
    onAgentRevoked: async (agentId: string) => {
      calls.push(`broker ${agentId}`);
    },
  } as unknown as RevocationDeps;
  return { d, calls };
}

describe('revocation racing the agent', () => {
  it('ends only the revoked agent’s open jobs, as a revocation by the admin, then tells the broker', async () => {
    const { d, calls } = deps(
      [
        { jobId: 'j1', agentId: 'agent-1', state: 'QUEUED' },
        { jobId: 'j2', agentId: 'agent-2', state: 'QUEUED' },
      ],
      () => {},
      {},
    );
    expect(await revokeAgent(d, 'agent-1', 'alice')).toMatchObject({ endedJobs: ['j1'] });
    expect(calls).toEqual([
      'revoke agent-1 by alice',
      'move j1 CANCELED revocation alice AGENT_REVOKED',
      'broker agent-1',
    ]);
  });

  it('skips a job that a result closed meanwhile, and still ends the others', async () => {
    const { d, calls } = deps(
      [
        { jobId: 'j1', agentId: 'agent-1', state: 'SENT' },
        { jobId: 'j2', agentId: 'agent-1', state: 'SENT' },
      ],
      (jobId) => {
        if (jobId === 'j1') throw new Error('conflict');
      },
      { j1: { jobId: 'j1', agentId: 'agent-1', state: 'SUCCEEDED' } },
    );
    expect(await revokeAgent(d, 'agent-1', 'alice')).toMatchObject({ endedJobs: ['j2'] });
    expect(calls.at(-1)).toBe('broker agent-1');
  });

  it('fails, and tells the broker nothing yet, when a job that is still open cannot be ended', async () => {
    for (const after of [{ j1: { jobId: 'j1', agentId: 'agent-1', state: 'SENT' as const } }, {}]) {
      const { d, calls } = deps(
        [{ jobId: 'j1', agentId: 'agent-1', state: 'SENT' }],
        () => {
          throw new Error('table down');
        },
        after,
      );
      await expect(revokeAgent(d, 'agent-1', 'alice')).rejects.toThrow('table down');
      expect(calls).not.toContain('broker agent-1');
    }
  });

  it('revokes where no broker needs telling (AWS: the authorizer refuses at the next refresh)', async () => {
    const { d } = deps([{ jobId: 'j1', agentId: 'agent-1', state: 'QUEUED' }], () => {}, {});
    const { onAgentRevoked: _none, ...withoutBroker } = d;
    expect(await revokeAgent(withoutBroker, 'agent-1', 'alice')).toMatchObject({ endedJobs: ['j1'] });
  });
});
