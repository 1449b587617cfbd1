import { createHash, randomBytes } from 'node:crypto';
import {
  type AgentTopics,
  buildCancelClaims,
  buildJobClaims,
  CardfleetError,
  encryptSecrets,
  type Logger,
  topics as localTopics,
  MAX_ENVELOPE_BYTES,
  SEALED_LITERALS_WIRE_VERSION,
  sealLiterals,
  servedWireVersion,
  signCancelMessage,
  signJobEnvelope,
} from '@cardfleet/shared';
import type { AgentStore } from '../agents/agent-store';
import type { Signer } from '../crypto/signer';
import type { EncodingStore } from '../encodings/encoding-store';
import { assertDryRunCard } from '../jobs/job-request-checks';
import type { Job, JobStore } from '../jobs/job-store';
import type { EnvelopeRecords } from './envelope-records';
import type { Publisher } from './publisher';

/**
 * Publishing a job: sign its envelope now (so `exp` can be short), with the next
 * per-agent `seq`, the bundle inside with its literal secrets taken out, and those and
 * the secret fields encrypted to the agent's own key (JWE ECDH-ES); QUEUED → SENT, then
 * the publish (docs/messaging.md, "Job envelope" and "Sealed literals").
 */
export interface PublicationDeps {
  envelopes: EnvelopeRecords;
  jobs: JobStore;
  agents: AgentStore;
  encodings: EncodingStore;
  signer: Signer;
  publisher: Publisher;
  issuer: string;
  /** Seconds since the epoch. */
  nowSeconds: () => number;
  lifetimeSeconds?: number;
  /** Draws the placeholder nonce of one publication (16 hex digits); random by default. */
  literalNonce?: () => string;
  /** The topic tree jobs go to (default: the local one; in AWS the stage's, TOPIC_ROOT). */
  topics?: AgentTopics;
  /** One line per job published (ids, sizes; never the envelope). */
  logger?: Logger;
  /** Throws RELEASE_HALTED while the job's release is halted: the job waits QUEUED (docs/releases.md). */
  hold?: (job: Job) => Promise<void>;
}

export async function publishJob(
  deps: PublicationDeps,
  jobId: string,
): Promise<{ seq: number; bytes: number }> {
  const job = await deps.jobs.get(jobId);
  if (!job) throw new CardfleetError('NOT_FOUND', `job ${jobId} not found`);
  await deps.hold?.(job);
  const agent = await deps.agents.get(job.agentId);
  if (!agent?.publicJwk || agent.state !== 'ACTIVE')
    throw new CardfleetError(
      'CONFLICT',
      `agent ${job.agentId} cannot receive jobs (${agent?.state ?? 'unknown'})`,
    );
  const bundle = await deps.encodings.sealedBundle(job.encoding.id, job.encoding.version);
  if (!bundle)
    throw new CardfleetError('NOT_FOUND', `encoding ${job.encoding.id} v${job.encoding.version} not found`);
  // A dry run goes only to an agent that still announces its dry-run card: an agent
  // without the flag in its schema would run the job on its reader (docs/security.md, "Dry runs").
  if (job.dryRun) assertDryRunCard(agent);
  // Written in the wire version the agent announced (docs/messaging.md, "Versions").
  const version = servedWireVersion(agent.presence?.v);
  // No literal secret crosses the broker in clear: an older agent would run the
  // placeholders as written, so it gets no such bundle until it is upgraded.
  const sealed = sealLiterals(bundle, deps.literalNonce ?? (() => randomBytes(8).toString('hex')));
  const hasLiterals = Object.keys(sealed.literals).length > 0;
  if (hasLiterals && version < SEALED_LITERALS_WIRE_VERSION)
    throw new CardfleetError(
      'AGENT_UPGRADE_REQUIRED',
      `encoding ${job.encoding.id} v${job.encoding.version} holds literal secrets; agent ${job.agentId} speaks wire v${version} and must be upgraded to v${SEALED_LITERALS_WIRE_VERSION} to receive it`,
    );
  // Only a job with secret fields has sealed values to read (job-store.ts seals none otherwise).
  const secretValues = job.secretFields.length > 0 ? await deps.jobs.unsealedSecrets(job.jobId) : {};
  const seq = await deps.envelopes.nextSeq(job.agentId);
  const claims = buildJobClaims(job.agentId, {
    issuer: deps.issuer,
    seq,
    now: deps.nowSeconds(),
    lifetimeSeconds: deps.lifetimeSeconds ?? 300,
    job: {
      id: job.jobId,
      attempt: job.attempt,
      office: job.office,
      encoding: job.encoding,
      bundle: sealed.files,
      fields: job.fields,
      ...(Object.keys(secretValues).length > 0
        ? { secrets: await encryptSecrets(secretValues, { ...agent.publicJwk }) }
        : {}),
      ...(hasLiterals ? { literals: await encryptSecrets(sealed.literals, { ...agent.publicJwk }) } : {}),
      secretFields: job.secretFields,
      ...(job.reader ? { reader: job.reader } : {}),
      ...(job.dryRun ? { dryRun: true as const } : {}),
      ...(job.requestId ? { requestId: job.requestId } : {}),
    },
  });
  const envelope = await signJobEnvelope(claims, deps.signer, version);
  const bytes = Buffer.byteLength(envelope);
  if (bytes > MAX_ENVELOPE_BYTES)
    throw new CardfleetError(
      'PAYLOAD_TOO_LARGE',
      `the job envelope is ${bytes} bytes; IoT messages are limited to ${MAX_ENVELOPE_BYTES}`,
    );
  // Rejection reports name an envelope by its sha256 only; remember which job it was.
  const envelopeSha256 = createHash('sha256').update(envelope).digest('hex');
  await deps.envelopes.record(envelopeSha256, {
    jobId: job.jobId,
    attempt: job.attempt,
    agentId: job.agentId,
  });
  // SENT before the publish: the agent's first progress then finds the job SENT, and a
  // second publisher (the dispatcher racing the API) fails this move and sends nothing.
  // A publish that fails puts the job back to QUEUED for the dispatcher.
  await deps.jobs.move(job.jobId, 'SENT', { cause: 'publisher', by: 'cloud', attempt: job.attempt });
  try {
    await deps.publisher.publish(
      (deps.topics ?? localTopics).jobs(job.agentId),
      new TextEncoder().encode(envelope),
    );
  } catch (error) {
    await deps.jobs
      .move(job.jobId, 'QUEUED', { cause: 'publisher', by: 'cloud', attempt: job.attempt })
      .catch(() => undefined);
    throw error;
  }
  deps.logger?.info('job published', {
    jobId: job.jobId,
    attempt: job.attempt,
    agentId: job.agentId,
    seq,
    bytes,
    ...(job.requestId ? { requestId: job.requestId } : {}),
  });
  return { seq, bytes };
}

/**
 * Tells the agent a job it may hold was cancelled: a signed cancel message for the
 * job's current attempt on its jobs topic (shared/src/messages/job-cancel.ts).
 */
export async function publishCancel(deps: PublicationDeps, jobId: string): Promise<void> {
  const job = await deps.jobs.get(jobId);
  if (!job?.cancel || job.cancel.attempt !== job.attempt)
    throw new CardfleetError('CONFLICT', `job ${jobId} has no cancel to send`);
  const claims = buildCancelClaims(job.agentId, {
    issuer: deps.issuer,
    now: deps.nowSeconds(),
    lifetimeSeconds: deps.lifetimeSeconds ?? 300,
    cancel: { jobId: job.jobId, attempt: job.attempt },
    by: job.cancel.by,
  });
  const agent = await deps.agents.get(job.agentId);
  const version = servedWireVersion(agent?.presence?.v);
  const message = await signCancelMessage(claims, deps.signer, version);
  await deps.publisher.publish(
    (deps.topics ?? localTopics).jobs(job.agentId),
    new TextEncoder().encode(message),
  );
  await deps.jobs.markCancelSent(jobId);
}
