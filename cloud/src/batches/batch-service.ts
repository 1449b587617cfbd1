import {
  type BatchRequest,
  type BatchView,
  batchFieldsOf,
  batchRequestId,
  CardfleetError,
  cardSerialOf,
  errorStatus,
  type JobResult,
  readBatchCsv,
  type StartBatch,
  validateBundle,
} from '@cardfleet/shared';
import type { AgentStore } from '../agents/agent-store';
import type { EncodingStore } from '../encodings/encoding-store';
import type { JobStore } from '../jobs/job-store';
import type { CreateCardJob } from './batch-jobs';
import { batchVerdict, batchView, type CardOutcome } from './batch-progress';
import type { TellAgent } from './batch-publication';
import type { Batch, BatchStore } from './batch-store';

/**
 * The batch use cases (docs/batches.md): start (the CSV checked against the encoding's
 * fields, the agent told the batch is open), the agent's "next card" (that card's own
 * job, made once per card index, from its CSV row), stop, and the view. The routes and
 * the agents' ingest both call these; who may call is checked by the caller.
 */
export interface BatchDeps {
  batches: BatchStore;
  agents: AgentStore;
  encodings: EncodingStore;
  jobs: JobStore;
  results: (jobId: string, attempt: number) => Promise<JobResult | undefined>;
  createCardJob: CreateCardJob;
  /**
   * Whether the office may run this encoding version now (the job-creation gate: a version
   * released to the office, its release not halted); throws the refusal. Asked at start,
   * so a batch on a halted release is refused at once; every card's job is asked again.
   */
  mayRun?: (office: string, encoding: { id: string; version: number }) => Promise<void>;
  /** The version the office runs (its release), for a batch that names none; else the latest. */
  defaultVersion?: (encodingId: string, office: string) => Promise<number | undefined>;
  /** Signs and publishes the batch message (none: no broker, as in unit tests of the API). */
  tellAgent?: TellAgent;
  now: () => string;
}

export async function startBatch(
  deps: BatchDeps,
  input: StartBatch,
  actor: { sub: string; office: string | undefined },
): Promise<Batch> {
  const agent = await deps.agents.get(input.agentId, { presence: false });
  if (!agent) throw new CardfleetError('NOT_FOUND', `agent ${input.agentId} not found`);
  if (actor.office !== undefined && actor.office !== agent.office)
    throw new CardfleetError('FORBIDDEN', `operators of ${actor.office} may not act for ${agent.office}`);
  if (agent.state !== 'ACTIVE')
    throw new CardfleetError('CONFLICT', `agent ${agent.id} gets no jobs (${agent.state})`);
  const version = input.version ?? (await deps.defaultVersion?.(input.encodingId, agent.office));
  const encoding = await deps.encodings.get(input.encodingId, version);
  const files = encoding && (await deps.encodings.sealedBundle(encoding.id, encoding.version));
  if (!encoding || !files)
    throw new CardfleetError(
      'NOT_FOUND',
      `encoding ${input.encodingId}${input.version ? ` version ${input.version}` : ''}`,
    );
  const bundle = validateBundle({
    files: files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
  }).bundle;
  if (!bundle)
    throw new CardfleetError('CONFLICT', `encoding ${encoding.id} v${encoding.version} does not validate`);
  await deps.mayRun?.(agent.office, { id: encoding.id, version: encoding.version });
  const rows = readBatchCsv(input.csv, batchFieldsOf(bundle), input.count);
  const batch = await deps.batches.create(
    {
      agentId: agent.id,
      office: agent.office,
      reader: input.reader,
      encoding: { id: encoding.id, version: encoding.version, sha256: encoding.sha256 },
      ...(input.count === undefined ? {} : { count: input.count }),
      untilStopped: input.count === undefined,
      stopAfterConsecutiveFailures: input.stopAfterConsecutiveFailures,
      secretFields: encoding.secretFields,
    },
    rows,
    actor.sub,
  );
  try {
    await deps.tellAgent?.(batch);
  } catch (error) {
    // An agent never told of its batch would never ask for a card: end it, and say so.
    await deps.batches.end(batch.batchId, 'STOPPED', 'the agent could not be told of the batch', actor.sub);
    throw error;
  }
  return batch;
}

/**
 * A card is in the batch's reader and the agent asks for its job. Returns the card's job
 * id, or undefined when the batch does not go on (the agent is told why). A card index
 * asked for again gets nothing new: its job was made and published the first time.
 */
export async function nextCard(
  deps: BatchDeps,
  agentId: string,
  request: BatchRequest,
): Promise<string | undefined> {
  const batch = await deps.batches.get(request.batchId);
  // Another agent's batch, or none: nothing to say to this agent about it.
  if (!batch || batch.agentId !== agentId) return undefined;
  const existing = await deps.batches.card(batch.batchId, request.cardIndex);
  if (existing) return existing.jobId;
  const ended = await settle(deps, batch);
  if (ended.state !== 'RUNNING') {
    await deps.tellAgent?.(ended);
    return undefined;
  }
  const fields =
    batch.count === undefined || request.cardIndex <= batch.count
      ? await deps.batches.row(batch.batchId, request.cardIndex)
      : undefined;
  if (!fields) {
    const reason = `the batch has no row for card ${request.cardIndex}`;
    await deps.tellAgent?.(await deps.batches.end(batch.batchId, 'COMPLETED', reason, `agent:${agentId}`));
    return undefined;
  }
  let jobId: string;
  try {
    ({ jobId } = await deps.createCardJob(
      {
        agentId,
        encoding: batch.encoding,
        reader: batch.reader,
        fields,
        requestId: batchRequestId(batch.batchId, request.cardIndex),
      },
      batch.startedBy,
    ));
  } catch (error) {
    // The card's job is refused (its release halted, the agent revoked): the batch halts and says why.
    if (!(error instanceof CardfleetError) || errorStatus(error.code) >= 500) throw error;
    const reason = `card ${request.cardIndex}'s job was refused: ${error.message}`;
    await deps.tellAgent?.(await deps.batches.end(batch.batchId, 'HALTED', reason, `agent:${agentId}`));
    return undefined;
  }
  const card = {
    index: request.cardIndex,
    jobId,
    requestedAt: deps.now(),
    ...(request.atr ? { atr: request.atr } : {}),
  };
  if (!(await deps.batches.addCard(batch.batchId, card))) {
    // The same card asked for twice at once: the first one's job stands, this one goes.
    await deps.jobs.requestCancel(jobId, `agent:${agentId}`).catch(() => undefined);
    return (await deps.batches.card(batch.batchId, request.cardIndex))?.jobId;
  }
  return jobId;
}

export async function stopBatch(deps: BatchDeps, batch: Batch, by: string): Promise<Batch> {
  const stopped = await deps.batches.end(batch.batchId, 'STOPPED', `stopped by ${by}`, by);
  await deps.tellAgent?.(stopped);
  return stopped;
}

export async function viewBatch(deps: BatchDeps, batch: Batch): Promise<BatchView> {
  const settled = await settle(deps, batch);
  return batchView(settled, await outcomes(deps, settled), deps.now());
}

/** The batch after its verdict on the cards so far (stored, audited, and told the agent). */
async function settle(deps: BatchDeps, batch: Batch): Promise<Batch> {
  if (batch.state !== 'RUNNING') return batch;
  const verdict = batchVerdict(batch, await outcomes(deps, batch));
  if (!verdict) return batch;
  const ended = await deps.batches.end(batch.batchId, verdict.state, verdict.reason, 'cardfleet');
  await deps.tellAgent?.(ended);
  return ended;
}

async function outcomes(deps: BatchDeps, batch: Batch): Promise<CardOutcome[]> {
  return Promise.all(
    (await deps.batches.cards(batch.batchId)).map(async (card) => {
      const job = await deps.jobs.get(card.jobId);
      const result = job && (await deps.results(job.jobId, job.attempt));
      const serial = cardSerialOf(result?.card);
      return { ...card, state: job?.state ?? 'QUEUED', ...(serial ? { serial } : {}) };
    }),
  );
}
