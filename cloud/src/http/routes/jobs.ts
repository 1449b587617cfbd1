import {
  CardfleetError,
  CreateJobSchema,
  JobDetailSchema,
  JobListQuerySchema,
  JobListSchema,
  JobMovedSchema,
  type JobResult,
  MAX_ENVELOPE_BYTES,
} from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AgentStore } from '../../agents/agent-store';
import type { Identity } from '../../auth/identity';
import type { EncodingStore } from '../../encodings/encoding-store';
import { assertDryRunCard, assertJobFields } from '../../jobs/job-request-checks';
import type { Job, JobStore } from '../../jobs/job-store';
import type { CloudMetrics } from '../../observability/cloud-metrics';
import { notFound } from '../api-error';
import { type App, assertOffice, type Env } from '../context';
import {
  conflictAnswer,
  json,
  jsonBody,
  notFoundAnswer,
  refusals,
  rejectInvalid,
  roles,
  tooLargeAnswer,
} from '../openapi';

/** What a job looks like through the API: never the secret field values. */
const view = (job: Job) => job;

/** A job as GET /v1/jobs/{id} answers it (and its live events, job-events.ts): with its attempt's result. */
export async function jobDetail(job: Job, results: ResultReader) {
  const result = await results(job.jobId, job.attempt);
  return { ...view(job), ...(result ? { result } : {}) };
}

/** The job `id` for this caller (the route checked the role): NOT_FOUND, or operators: their office's only. */
export async function jobForCaller(jobs: JobStore, identity: Identity, id: string): Promise<Job> {
  const job = await jobs.get(id);
  if (!job) throw notFound(`job ${id}`);
  assertOffice(identity, job.office);
  return job;
}

export type ResultReader = (jobId: string, attempt: number) => Promise<JobResult | undefined>;
/** Job ids whose results name this card serial (the results-by-card index). */
export type CardIndex = (cardSerial: string) => Promise<string[]>;
/**
 * Publishes a job that just became QUEUED (created or retried) at once. A failure is
 * not the caller's: the job stays QUEUED and the dispatcher tries again.
 */
export type JobQueuedHook = (jobId: string) => Promise<unknown>;

const IdParams = z.object({ id: z.string() });

const create = createRoute({
  method: 'post',
  path: '/v1/jobs',
  summary: 'run an encoding on an agent (published at once when the cloud can)',
  middleware: [roles('admin', 'operator')] as const,
  request: { body: jsonBody(CreateJobSchema) },
  responses: {
    202: json(JobMovedSchema, 'jobId and state (QUEUED, or SENT once published)'),
    ...refusals,
    ...notFoundAnswer,
    ...conflictAnswer,
    ...tooLargeAnswer,
  },
});

const show = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}',
  summary: "a job: state, history and its current attempt's result",
  middleware: [roles('admin', 'operator', 'auditor')] as const,
  request: { params: IdParams },
  responses: { 200: json(JobDetailSchema, 'the job'), ...refusals, ...notFoundAnswer },
});

const list = createRoute({
  method: 'get',
  path: '/v1/jobs',
  summary: 'list jobs, newest first, a page at a time (operators: their office)',
  middleware: [roles('admin', 'operator', 'auditor')] as const,
  request: { query: JobListQuerySchema },
  responses: { 200: json(JobListSchema, 'a page of jobs'), ...refusals },
});

const retry = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/retry',
  summary: 'a new attempt of an ended job, asked by a person',
  middleware: [roles('admin', 'operator')] as const,
  request: { params: IdParams },
  responses: {
    200: json(JobMovedSchema, 'the new attempt'),
    ...refusals,
    ...notFoundAnswer,
    ...conflictAnswer,
  },
});

const cancel = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/cancel',
  summary: 'cancel a job (202 while the agent that may hold it has yet to answer)',
  middleware: [roles('admin', 'operator')] as const,
  request: { params: IdParams },
  responses: {
    200: json(JobMovedSchema, 'canceled'),
    202: json(JobMovedSchema, 'cancel requested from the agent'),
    ...refusals,
    ...notFoundAnswer,
    ...conflictAnswer,
  },
});

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
  app.openapi(
    create,
    async (c) => {
      const identity = c.get('identity');
      const body = c.req.valid('json');
      // The presence says whether the agent has a dry-run card; other jobs need none.
      const agent = await agents.get(body.agentId, { presence: body.dryRun === true });
      if (!agent) throw notFound(`agent ${body.agentId}`);
      assertOffice(identity, agent.office);
      if (agent.state !== 'ACTIVE') {
        throw new CardfleetError(
          'CONFLICT',
          agent.state === 'REVOKED'
            ? `agent ${agent.id} is revoked and gets no jobs`
            : `agent ${agent.id} is not enrolled yet`,
        );
      }
      if (body.dryRun) assertDryRunCard(agent);
      const version = body.version ?? (await defaultVersion?.(body.encodingId, agent.office));
      const encoding = await encodings.get(body.encodingId, version);
      if (!encoding)
        throw notFound(`encoding ${body.encodingId}${body.version ? ` version ${body.version}` : ''}`);
      const envelopeBytes = estimateEnvelopeBytes(encoding.bundleBytes, JSON.stringify(body.fields).length);
      if (envelopeBytes > MAX_ENVELOPE_BYTES) {
        throw new CardfleetError(
          'PAYLOAD_TOO_LARGE',
          `the signed job would be about ${envelopeBytes} bytes; one MQTT message (IoT Core) carries at most ${MAX_ENVELOPE_BYTES}`,
        );
      }
      // The browser checks the same rules before sending; the cloud stays the authority.
      assertJobFields(encoding.fields, body.fields);
      const job = await jobs.create(
        {
          agentId: agent.id,
          office: agent.office,
          encoding: { id: encoding.id, version: encoding.version, sha256: encoding.sha256 },
          secretFieldNames: encoding.secretFields,
          fields: body.fields,
          ...(body.reader ? { reader: body.reader } : {}),
          ...(body.dryRun ? { dryRun: true } : {}),
          // Carried to the agent in the envelope, so one id follows the job through both logs.
          requestId: c.get('requestId'),
          role: identity.role,
        },
        identity.sub,
      );
      metrics?.jobsCreated.inc();
      c.get('log').info('job created', { jobId: job.jobId, agentId: agent.id, encodingId: encoding.id });
      return c.json({ jobId: job.jobId, state: await publishNow(job.jobId, job.state) }, 202);
    },
    rejectInvalid('the body must be { agentId, encodingId, version?, fields?, reader?, dryRun? }', {
      issues: true,
    }),
  );

  /** The job of the route's :id (the caller's role is checked by the route); operators: their office's. */
  const jobOf = async (c: Context<Env>) => {
    const identity = c.get('identity');
    return { identity, job: await jobForCaller(jobs, identity, c.req.param('id') ?? '') };
  };

  const publishNow = async (jobId: string, state: Job['state']) =>
    onJobQueued
      ? await onJobQueued(jobId).then(
          () => 'SENT' as const,
          () => state,
        )
      : state;

  app.openapi(show, async (c) => {
    const { job } = await jobOf(c);
    return c.json(await jobDetail(job, results), 200);
  });

  app.openapi(
    list,
    async (c) => {
      const identity = c.get('identity');
      const query = c.req.valid('query');
      if (query.office) assertOffice(identity, query.office);
      const offices = identity.role === 'operator' ? [identity.office] : await agents.offices();
      const filter = {
        ...(query.office ? { office: query.office } : {}),
        ...(query.agentId ? { agentId: query.agentId } : {}),
        ...(query.state ? { state: query.state } : {}),
        // A card's jobs come from the results-by-card index (every attempt files once).
        ...(query.cardSerial ? { jobIds: [...new Set(await jobsForCard(query.cardSerial))] } : {}),
      };
      const page = await jobs.listPage(filter, offices, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return c.json({ items: page.jobs.map(view), ...(page.cursor ? { nextCursor: page.cursor } : {}) }, 200);
    },
    rejectInvalid('filters: office, agentId, state, cardSerial, cursor, limit'),
  );

  // Nothing retries a card job automatically: a new attempt exists only when a person asks.
  app.openapi(retry, async (c) => {
    const { identity, job } = await jobOf(c);
    // A revoked agent gets no new attempt either (docs/security.md, "Revocation").
    if ((await agents.get(job.agentId, { presence: false }))?.state === 'REVOKED')
      throw new CardfleetError('CONFLICT', `agent ${job.agentId} is revoked and gets no jobs`);
    const retried = await jobs.retry(job.jobId, identity.sub, identity.role);
    const state = await publishNow(retried.jobId, retried.state);
    return c.json({ jobId: retried.jobId, attempt: retried.attempt, state }, 200);
  });

  app.openapi(cancel, async (c) => {
    const { identity, job } = await jobOf(c);
    const moved = await jobs.requestCancel(job.jobId, identity.sub);
    // 202 while the agent has yet to answer a cancel of a job it may already hold.
    return moved.state === 'CANCELED'
      ? c.json({ jobId: moved.jobId, state: moved.state }, 200)
      : c.json({ jobId: moved.jobId, state: moved.state, cancelRequested: true as const }, 202);
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
