import { isOpen, REVOKED_JOB_STATE } from '@cardfleet/shared';
import type { Job } from '../jobs/job';
import type { JobStore } from '../jobs/job-store';
import type { Agent, AgentStore } from './agent-store';

/**
 * Revoking an agent, end to end (docs/security.md, "Revocation"):
 *   1. its state becomes REVOKED (audited `agent.revoke`): from then on it gets no jobs
 *      and its results and progress are refused (result-messages.ts, compose.ts);
 *   2. each of its open jobs ends CANCELED with reason AGENT_REVOKED (cause `revocation`
 *      in shared/src/jobs/job-lifecycle.ts), one audit entry each — what the agent may
 *      still do with a job it holds counts for nothing now;
 *   3. `onAgentRevoked` tells the broker: the embedded broker disconnects the agent at
 *      once; in AWS the custom authorizer refuses it at its next connection or refresh.
 * Every step is safe to run again: revoking a revoked agent ends what is still open and
 * tells the broker again.
 */
export interface RevocationDeps {
  agents: AgentStore;
  jobs: JobStore;
  /** The broker's part (composition roots): disconnect the agent now where the broker can. */
  onAgentRevoked?: (agentId: string) => Promise<void> | void;
}

export async function revokeAgent(
  deps: RevocationDeps,
  agentId: string,
  actor: string,
): Promise<{ agent: Agent; endedJobs: string[] }> {
  const agent = await deps.agents.revoke(agentId, actor);
  const endedJobs: string[] = [];
  for (const job of await deps.jobs.listOpen()) {
    if (job.agentId !== agentId) continue;
    if (await endJob(deps.jobs, job, actor)) endedJobs.push(job.jobId);
  }
  await deps.onAgentRevoked?.(agentId);
  return { agent, endedJobs };
}

async function endJob(jobs: JobStore, job: Job, actor: string): Promise<boolean> {
  try {
    await jobs.move(job.jobId, REVOKED_JOB_STATE, {
      cause: 'revocation',
      by: actor,
      reason: 'AGENT_REVOKED',
    });
    return true;
  } catch (error) {
    // It closed meanwhile (a result that got in before the revocation): nothing to end.
    const now = await jobs.get(job.jobId);
    if (now && !isOpen(now.state)) return false;
    throw error;
  }
}
