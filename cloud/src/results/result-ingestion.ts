import { CardfleetError, canTransition, cardSerialOf, type JobResult, resultState } from '@cardfleet/shared';
import type { AuditLog } from '../audit/audit-log';
import type { Job, JobState, JobStore } from '../jobs/job-store';
import type { EnvelopeRecords } from '../publishing/envelope-records';
import type { RejectionReports } from './rejection-reports';
import type { ResultStore } from './result-store';

/**
 * Result ingestion, fed by the MQTT subscriber locally and the IoT rule in AWS
 * (docs/messaging.md). Idempotent by (job id, attempt) with deterministic keys: every
 * step is a write that either happens once or is recognised as done, so a duplicate
 * delivery completes whatever a crash left undone and never writes twice:
 *   1. the result parts   (conditional puts; keys in storage/table-design.ts)
 *   2. the result index   (conditional put; filed under the card serial in GSI1)
 *   3. the audit entry    appendOnce(result:<job>:<attempt>)
 *   4. the job state      optimistic move, skipped when already there
 * Results arriving after TIMED_OUT are stored and audited; the state stays TIMED_OUT.
 */
export const RESULT_PART_BYTES = 300 * 1024; // items stay under DynamoDB's 400 KB

export type IngestStep = 'parts' | 'index' | 'audit' | 'state';

export interface IngestDeps {
  results: ResultStore;
  envelopes: EnvelopeRecords;
  jobs: JobStore;
  audit: AuditLog;
  /** Reports of envelopes the cloud never sent the agent: bounded audit entries. */
  rejections: RejectionReports;
  now: () => string;
  /** Counts the result against the job's release, which may halt (releases/release-gate.ts). */
  releases?: { recordOutcome(job: Job, result: JobResult, state: JobState): Promise<void> };
  /** Test hook: called after each step, may throw to simulate a crash. */
  afterStep?: (step: IngestStep) => void;
}

/** Takes a result already parsed where it arrived (result-messages.ts verifies and parses it once). */
export async function ingestResult(
  deps: IngestDeps,
  input: JobResult,
  agentSignature?: string,
): Promise<{ jobId: string; state: JobState; duplicate: boolean }> {
  let result = input;
  if (result.rejection) {
    // The agent refused an envelope before verifying it: it names only the envelope's
    // hash, which the cloud recorded when it published (job-publication.ts).
    const sent = await deps.envelopes.find(result.rejection.envelopeSha256);
    if (!sent || sent.agentId !== result.agentId) {
      // Not one the cloud sent this agent: audited bounded and rate-limited (rejection-reports.ts).
      await deps.rejections.record(result.agentId, result.rejection, result.finishedAt);
      return { jobId: result.jobId, state: 'REJECTED', duplicate: false };
    }
    result = { ...result, jobId: sent.jobId, attempt: sent.attempt };
  }
  const job = await deps.jobs.get(result.jobId);
  if (!job) throw new CardfleetError('NOT_FOUND', `job ${result.jobId} not found`);
  if (job.agentId !== result.agentId)
    throw new CardfleetError('FORBIDDEN', 'the result comes from another agent than the job was sent to');

  const text = JSON.stringify(result);
  const parts = Math.max(1, Math.ceil(text.length / RESULT_PART_BYTES));
  let wrote = false;
  for (let n = 0; n < parts; n++) {
    wrote =
      (await deps.results.putPart(
        result.jobId,
        result.attempt,
        n,
        text.slice(n * RESULT_PART_BYTES, (n + 1) * RESULT_PART_BYTES),
      )) || wrote;
  }
  deps.afterStep?.('parts');

  // Every kind names its card: the token serial, the encoding's serial field, or none
  // (shared/src/messages/job-result.ts); older agents only ever sent tokenSerial.
  // A dry run's card is the agent's in-process dry-run card: never filed as a real card's
  // (docs/security.md, "Dry runs"); its result keeps the card as the agent reported it.
  const serial = job.dryRun ? undefined : cardSerialOf(result.card);
  const indexed = await deps.results.putIndex({
    jobId: result.jobId,
    attempt: result.attempt,
    ...(serial ? { card: { serial, finishedAt: result.finishedAt } } : {}),
    parts,
    status: result.status,
    agentId: result.agentId,
    office: job.office,
    receivedAt: deps.now(),
    ...(agentSignature ? { signature: agentSignature } : {}),
  });
  deps.afterStep?.('index');

  await deps.audit.appendOnce(`result:${result.jobId}:${result.attempt}`, {
    // The server's time: the agent's own stays in the stored result (docs/security.md).
    at: deps.now(),
    actor: `agent:${result.agentId}`,
    action: 'job.result',
    office: job.office,
    agentId: result.agentId,
    ...(serial ? { cardSerial: serial } : {}),
    encoding: job.encoding,
    details: {
      jobId: result.jobId,
      attempt: result.attempt,
      status: result.status,
      // A dry run's result is the dry-run card's: never a real card's (docs/security.md, "Dry runs").
      ...(job.dryRun ? { dryRun: true } : {}),
      ...(serial ? { cardSerial: serial } : {}),
      ...(agentSignature ? { agentSignature } : {}),
    },
  });
  deps.afterStep?.('audit');

  const target = resultState(result.status);
  let state = job.state;
  // A late copy of an earlier attempt's result (QoS 1 redelivery after a retry) is
  // stored and audited above, but the job now belongs to a newer attempt: leave its state.
  if (target && result.attempt === job.attempt && canTransition(job.state, target, 'agent-result')) {
    state = (
      await deps.jobs.move(job.jobId, target, {
        cause: 'agent-result',
        by: `agent:${result.agentId}`,
        attempt: result.attempt,
      })
    ).state;
  }
  deps.afterStep?.('state');
  // 5. counted against the job's release (once per execution): a crossed threshold halts it.
  if (result.attempt === job.attempt) await deps.releases?.recordOutcome(job, result, state);
  return { jobId: job.jobId, state, duplicate: !wrote && !indexed };
}
