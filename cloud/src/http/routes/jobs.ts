import {
  CardfleetError,
  CreateJobSchema,
  JobListQuerySchema,
  type JobResult,
  MAX_ENVELOPE_BYTES,
} from '@cardfleet/shared';
import type { Context } from 'hono';
import type { AgentStore } from '../../agents/agent-store';
import type { Role } from '../../auth/identity';
import type { EncodingStore } from '../../encodings/encoding-store';
import type { Job, JobStore } from '../../jobs/job-store';
import type { CloudMetrics } from '../../observability/cloud-metrics';
import { notFound } from '../api-error';
import { type App, allow, assertOffice, type Env, readJson } from '../context';

/** What a job looks like through the API: never the secret field values. */
const view = (job: Job) => job;

export type ResultReader = (jobId: string, attempt: number) => Promise<JobResult | undefined>;
/** Job ids whose results name this card serial (the results-by-card index). */
export type CardIndex = (cardSerial: string) => Promise<string[]>;
/**
 * Publishes a job that just became QUEUED (created or retried) at once. A failure is
 * not the caller's: the job stays QUEUED and the dispatcher tries again.
 */
export type JobQueuedHook = (jobId: string) => Promise<unknown>;

export function jobRoutes(
  app: App,
  jobs: JobStore,
  agents: AgentStore,
  encodings: EncodingStore,
  results: ResultReader,
  jobsForCard: CardIndex,
  onJobQueued?: JobQueuedHook,
  metrics?: CloudMetrics,
  /** The version a job runs when none is named: the newest the office may run (docs/releases.md). */
  defaultVersion?: (encodingId: string, office: string) => Promise<number | undefined>,
): void {
  app.post('/v1/jobs', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator');
    const body = CreateJobSchema.safeParse(await readJson(c.req.raw));
    if (!body.success)
      throw new CardfleetError(
        'REQUEST_INVALID',
        'the body must be { agentId, encodingId, version?, fields?, reader? }',
        { details: { issues: body.error.issues } },
      );
    const agent = await agents.get(body.data.agentId, { presence: false });
    if (!agent) throw notFound(`agent ${body.data.agentId}`);
    assertOffice(identity, agent.office);
    if (agent.state !== 'ACTIVE') {
      throw new CardfleetError(
        'CONFLICT',
        agent.state === 'REVOKED'
          ? `agent ${agent.id} is revoked and gets no jobs`
          : `agent ${agent.id} is not enrolled yet`,
      );
    }
    const version = body.data.version ?? (await defaultVersion?.(body.data.encodingId, agent.office));
    const encoding = await encodings.get(body.data.encodingId, version);
    if (!encoding)
      throw notFound(
        `encoding ${body.data.encodingId}${body.data.version ? ` version ${body.data.version}` : ''}`,
      );
    const envelopeBytes = estimateEnvelopeBytes(
      encoding.bundleBytes,
      JSON.stringify(body.data.fields).length,
    );
    if (envelopeBytes > MAX_ENVELOPE_BYTES) {
      throw new CardfleetError(
        'PAYLOAD_TOO_LARGE',
        `the signed job would be about ${envelopeBytes} bytes; one MQTT message (IoT Core) carries at most ${MAX_ENVELOPE_BYTES}`,
      );
    }
    const job = await jobs.create(
      {
        agentId: agent.id,
        office: agent.office,
        encoding: { id: encoding.id, version: encoding.version, sha256: encoding.sha256 },
        secretFieldNames: encoding.secretFields,
        fields: body.data.fields,
        ...(body.data.reader ? { reader: body.data.reader } : {}),
        // Carried to the agent in the envelope, so one id follows the job through both logs.
        requestId: c.get('requestId'),
        role: identity.role,
      },
      identity.sub,
    );
    metrics?.jobsCreated.inc();
    c.get('log').info('job created', { jobId: job.jobId, agentId: agent.id, encodingId: encoding.id });
    return c.json({ jobId: job.jobId, state: await publishNow(job.jobId, job.state) }, 202);
  });

  /** The job of the route's :id, for a caller in one of `roles` (operators: their office's). */
  const jobOf = async (c: Context<Env>, ...roles: Role[]) => {
    const identity = c.get('identity');
    allow(identity, ...roles);
    const job = await jobs.get(c.req.param('id') ?? '');
    if (!job) throw notFound(`job ${c.req.param('id')}`);
    assertOffice(identity, job.office);
    return { identity, job };
  };

  const publishNow = async (jobId: string, state: string) =>
    onJobQueued
      ? await onJobQueued(jobId).then(
          () => 'SENT',
          () => state,
        )
      : state;

  app.get('/v1/jobs/:id', async (c) => {
    const { job } = await jobOf(c, 'admin', 'operator', 'auditor');
    const result = await results(job.jobId, job.attempt);
    return c.json({ ...view(job), ...(result ? { result } : {}) });
  });

  app.get('/v1/jobs', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator', 'auditor');
    const query = JobListQuerySchema.safeParse(c.req.query());
    if (!query.success)
      throw new CardfleetError(
        'REQUEST_INVALID',
        'filters: office, agentId, state, cardSerial, cursor, limit',
      );
    if (query.data.office) assertOffice(identity, query.data.office);
    const offices = identity.role === 'operator' ? [identity.office] : await agents.offices();
    const filter = {
      ...(query.data.office ? { office: query.data.office } : {}),
      ...(query.data.agentId ? { agentId: query.data.agentId } : {}),
      ...(query.data.state ? { state: query.data.state } : {}),
      // A card's jobs come from the results-by-card index (every attempt files once).
      ...(query.data.cardSerial ? { jobIds: [...new Set(await jobsForCard(query.data.cardSerial))] } : {}),
    };
    const page = await jobs.listPage(filter, offices, {
      limit: query.data.limit,
      ...(query.data.cursor ? { cursor: query.data.cursor } : {}),
    });
    return c.json({ items: page.jobs.map(view), ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  });

  // Nothing retries a card job automatically: a new attempt exists only when a person asks.
  app.post('/v1/jobs/:id/retry', async (c) => {
    const { identity, job } = await jobOf(c, 'admin', 'operator');
    // A revoked agent gets no new attempt either (docs/security.md, "Revocation").
    if ((await agents.get(job.agentId, { presence: false }))?.state === 'REVOKED')
      throw new CardfleetError('CONFLICT', `agent ${job.agentId} is revoked and gets no jobs`);
    const retried = await jobs.retry(job.jobId, identity.sub, identity.role);
    return c.json({
      jobId: retried.jobId,
      attempt: retried.attempt,
      state: await publishNow(retried.jobId, retried.state),
    });
  });

  app.post('/v1/jobs/:id/cancel', async (c) => {
    const { identity, job } = await jobOf(c, 'admin', 'operator');
    const moved = await jobs.requestCancel(job.jobId, identity.sub);
    // 202 while the agent has yet to answer a cancel of a job it may already hold.
    return moved.state === 'CANCELED'
      ? c.json({ jobId: moved.jobId, state: moved.state })
      : c.json({ jobId: moved.jobId, state: moved.state, cancelRequested: true }, 202);
  });
}

/**
 * Envelope size before signing: the files are base64 inside the claims, the claims
 * base64url inside the JWS; secret fields add their JWE (also base64url) and a
 * fixed allowance covers header, signature and the other claims.
 */
export function estimateEnvelopeBytes(bundleBytes: number, fieldsJsonBytes: number): number {
  const claims = Math.ceil((bundleBytes * 4) / 3) + fieldsJsonBytes * 2 + 2048;
  return Math.ceil((claims * 4) / 3) + 512;
}
