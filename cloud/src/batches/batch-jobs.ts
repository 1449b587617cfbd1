import { CardfleetError, MAX_ENVELOPE_BYTES } from '@cardfleet/shared';
import type { AgentStore } from '../agents/agent-store';
import type { EncodingStore } from '../encodings/encoding-store';
import { estimateEnvelopeBytes } from '../http/routes/jobs';
import type { JobStore } from '../jobs/job-store';

/**
 * One card's job: created as an operator's job is (`POST /v1/jobs`) — the agent must be
 * ACTIVE, the encoding version exist, the envelope fit one MQTT message — and published
 * at once. Whatever gate job creation has (an encoding version released to the office,
 * its release not halted) applies here by going through the same checks: a refusal is
 * thrown, and the batch halts with its reason (batch-next.ts).
 */
export interface CardJob {
  agentId: string;
  encoding: { id: string; version: number };
  reader: string;
  fields: Record<string, string>;
  /** batchRequestId(batchId, cardIndex): travels signed to the agent in the envelope. */
  requestId: string;
}

export type CreateCardJob = (job: CardJob, actor: string) => Promise<{ jobId: string; state: string }>;

export interface CardJobDeps {
  agents: AgentStore;
  encodings: EncodingStore;
  jobs: JobStore;
  /** Publishes a QUEUED job (job-publication.ts); a failure leaves it to the dispatcher. */
  onJobQueued?: (jobId: string) => Promise<unknown>;
}

export function cardJobCreator(deps: CardJobDeps): CreateCardJob {
  return async (input, actor) => {
    const agent = await deps.agents.get(input.agentId, { presence: false });
    if (agent?.state !== 'ACTIVE')
      throw new CardfleetError(
        'CONFLICT',
        `agent ${input.agentId} gets no jobs (${agent?.state ?? 'unknown'})`,
      );
    const encoding = await deps.encodings.get(input.encoding.id, input.encoding.version);
    if (!encoding)
      throw new CardfleetError(
        'NOT_FOUND',
        `encoding ${input.encoding.id} version ${input.encoding.version}`,
      );
    const bytes = estimateEnvelopeBytes(encoding.bundleBytes, JSON.stringify(input.fields).length);
    if (bytes > MAX_ENVELOPE_BYTES)
      throw new CardfleetError('PAYLOAD_TOO_LARGE', `the card's signed job would be about ${bytes} bytes`);
    const job = await deps.jobs.create(
      {
        agentId: agent.id,
        office: agent.office,
        encoding: { id: encoding.id, version: encoding.version, sha256: encoding.sha256 },
        secretFieldNames: encoding.secretFields,
        fields: input.fields,
        reader: input.reader,
        requestId: input.requestId,
      },
      actor,
    );
    const state = deps.onJobQueued
      ? await deps.onJobQueued(job.jobId).then(
          () => 'SENT',
          () => job.state,
        )
      : job.state;
    return { jobId: job.jobId, state };
  };
}
