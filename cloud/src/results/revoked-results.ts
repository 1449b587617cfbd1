import { CardfleetError, type JobResult } from '@cardfleet/shared';
import type { Agent } from '../agents/agent-store';
import type { AuditLog } from '../audit/audit-log';
import type { JobStore } from '../jobs/job-store';
import type { EnvelopeRecords } from '../publishing/envelope-records';

/**
 * A result signed by a revoked agent is refused: nothing is stored, no job moves, no
 * acknowledgement goes out (docs/security.md, "Revocation"). The refusal is audited as
 * `result.rejected` (reason AGENT_REVOKED) once per execution the cloud sent that agent —
 * its outbox publishes the result again and again, and a stolen key must not be able to
 * write one entry per made-up job id — in the agent's own office, at the cloud's time.
 */
export interface RevokedResultDeps {
  audit: AuditLog;
  jobs: Pick<JobStore, 'get'>;
  envelopes: Pick<EnvelopeRecords, 'find'>;
  now: () => string;
}

export async function refuseRevokedResult(
  deps: RevokedResultDeps,
  agent: Agent,
  result: JobResult,
): Promise<never> {
  const execution = await sentExecution(deps, agent.id, result);
  if (execution)
    await deps.audit.appendOnce(`revoked-result:${agent.id}:${execution.jobId}:${execution.attempt}`, {
      at: deps.now(),
      actor: `agent:${agent.id}`,
      action: 'result.rejected',
      office: agent.office,
      agentId: agent.id,
      details: { ...execution, status: result.status, reason: 'AGENT_REVOKED' },
    });
  throw new CardfleetError('AGENT_REVOKED', `agent ${agent.id} is revoked: its result is refused`);
}

/** The execution the result names, when the cloud sent it to this agent; undefined otherwise. */
async function sentExecution(
  deps: RevokedResultDeps,
  agentId: string,
  result: JobResult,
): Promise<{ jobId: string; attempt: number } | undefined> {
  if (result.rejection) {
    // A rejection names the envelope by its hash only (result-ingestion.ts).
    const sent = await deps.envelopes.find(result.rejection.envelopeSha256);
    return sent?.agentId === agentId ? { jobId: sent.jobId, attempt: sent.attempt } : undefined;
  }
  const job = await deps.jobs.get(result.jobId);
  return job?.agentId === agentId && result.attempt >= 1 && result.attempt <= job.attempt
    ? { jobId: result.jobId, attempt: result.attempt }
    : undefined;
}
