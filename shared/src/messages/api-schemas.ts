import { z } from 'zod';
import { JobFieldSchema } from '../encoding/job-field-rules';
import { JOB_STATES } from '../jobs/job-lifecycle';
import { isAgentBrokerId } from './broker-policy';
import { JobResultSchema } from './job-result';
import { PresenceSchema } from './presence';
import { JobProgressSchema } from './progress';

/**
 * Request bodies and query strings of the cloud API (`/v1`), shared by the API (which
 * validates with them and builds /openapi.json from them) and its clients.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const PushEncodingSchema = z.object({
  id: z.string().regex(ID_PATTERN),
  files: z.array(z.object({ name: z.string().min(1).max(128), base64: z.string() })).min(1),
});

export const AddAgentSchema = z.object({
  // The broker takes the agent id as its user name: never one of the cloud's own
  // (`cardfleet-…`, docs/messaging.md "Broker identity").
  id: z.string().regex(ID_PATTERN).refine(isAgentBrokerId, 'an agent id the broker takes (not cardfleet-…)'),
  office: z.string().regex(ID_PATTERN),
  /** How long the enrolment code stays valid (default 24 h; at most 30 days). */
  enrolmentCodeSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .optional(),
});

export const EnrolAgentSchema = z.object({ code: z.string().min(1).max(128), publicJwk: z.unknown() });

export const CreateJobSchema = z.object({
  agentId: z.string().min(1),
  encodingId: z.string().min(1),
  version: z.number().int().positive().optional(),
  fields: z.record(z.string(), z.string()).default({}),
  reader: z.string().min(1).optional(),
  /**
   * A dry run (docs/security.md, "Dry runs"): the agent runs it on its in-process dry-run
   * card, never on a reader; it may run a version not released yet (admins) and counts
   * for no release. Admins, and operators for their office's agents.
   */
  dryRun: z.boolean().optional(),
});

export const JobListQuerySchema = z.object({
  office: z.string().optional(),
  agentId: z.string().optional(),
  state: z.enum(JOB_STATES).optional(),
  cardSerial: z.string().optional(),
  /** Opaque: the `nextCursor` of the previous page (cloud/src/jobs/job-listing.ts). */
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().positive().max(500).default(100),
});

export const AuditQuerySchema = z.object({
  office: z.string().optional(),
  agentId: z.string().optional(),
  cardSerial: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  cursor: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(1000).default(100),
  format: z.enum(['csv', 'json']).default('json'),
});

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

/*
 * Response bodies: what the API answers, named (`meta({ id })`) so /openapi.json lists
 * each once under components.schemas. The cloud's routes are typed against them, so a
 * handler that answers something else does not compile (cloud/src/http/openapi.ts).
 */

export const EncodingPushedSchema = z
  .object({ id: z.string(), version: z.number().int().positive(), sha256: z.string() })
  .meta({ id: 'EncodingPushed' });

export const EncodingListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        latestVersion: z.number().int().positive(),
        sha256: z.string(),
        updatedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'EncodingList' });

/** One version as readers see it: every literal secret of the bundle masked (docs/security.md). */
export const EncodingVersionViewSchema = z
  .object({
    id: z.string(),
    version: z.number().int().positive(),
    sha256: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    applications: z.array(z.object({ name: z.string(), kind: z.string() })),
    secretFields: z.array(z.string()),
    /** The job fields a job of this version takes, with their rules (shared/src/encoding/job-fields.ts). */
    fields: z.array(JobFieldSchema),
    bundleBytes: z.number().int().nonnegative(),
    files: z.array(z.object({ name: z.string(), text: z.string() })),
    /** Pushed under release control: a draft until approved and released (docs/releases.md). */
    managed: z.boolean(),
  })
  .meta({ id: 'EncodingVersion' });

export const EncodingDiffQuerySchema = z.object({
  from: z.coerce.number().int().positive(),
  to: z.coerce.number().int().positive(),
});

/** One hunk of a unified diff (POSIX `diff -u`): each line keeps its ' ', '-' or '+' mark. */
export const DiffHunkSchema = z
  .object({
    fromStart: z.number().int().nonnegative(),
    fromLines: z.number().int().nonnegative(),
    toStart: z.number().int().nonnegative(),
    toLines: z.number().int().nonnegative(),
    lines: z.array(z.string()),
  })
  .meta({ id: 'DiffHunk' });

/** Two versions' redacted views compared: only the files that differ, each with its unified text. */
export const EncodingDiffSchema = z
  .object({
    id: z.string(),
    from: z.number().int().positive(),
    to: z.number().int().positive(),
    redacted: z.literal(true),
    files: z.array(
      z.object({
        name: z.string(),
        change: z.enum(['added', 'removed', 'changed']),
        unified: z.string(),
        hunks: z.array(DiffHunkSchema),
      }),
    ),
    /** Every file's `unified` text, in name order (empty when the versions are the same). */
    diff: z.string(),
  })
  .meta({ id: 'EncodingDiff' });

/**
 * A job as the API shows it (docs/architecture.md, "Job lifecycle"): the fields it was
 * given minus the secret ones' values, which only travel sealed (docs/security.md).
 */
export const JobViewSchema = z
  .object({
    jobId: z.string(),
    agentId: z.string(),
    office: z.string(),
    encoding: z.object({ id: z.string(), version: z.number().int().positive(), sha256: z.string() }),
    reader: z.string().optional(),
    /** A dry run: ran (or runs) on the agent's in-process dry-run card, never on a reader; counts for no release. */
    dryRun: z.literal(true).optional(),
    fields: z.record(z.string(), z.string()),
    secretFields: z.array(z.string()),
    state: z.enum(JOB_STATES),
    attempt: z.number().int().positive(),
    history: z.array(z.object({ state: z.enum(JOB_STATES), at: z.string(), by: z.string() })),
    createdAt: z.string(),
    createdBy: z.string(),
    /** The API call that created it (its `x-request-id`). */
    requestId: z.string().optional(),
    /** Why the cloud ended the current attempt, as an error code (AGENT_REVOKED). */
    reason: z.string().optional(),
    cancel: z
      .object({
        attempt: z.number().int().positive(),
        requestedAt: z.string(),
        by: z.string(),
        sentAt: z.string().optional(),
      })
      .optional(),
    /** The agent's latest progress while the job is open: informative, overwritten (docs/messaging.md). */
    progress: JobProgressSchema.optional(),
  })
  .meta({ id: 'JobView' });

/** One job with the result of its current attempt, once there is one. */
export const JobDetailSchema = JobViewSchema.extend({ result: JobResultSchema.optional() }).meta({
  id: 'JobDetail',
});

export const JobListSchema = z
  .object({ items: z.array(JobViewSchema), nextCursor: z.string().optional() })
  .meta({ id: 'JobList' });

/** What creating, retrying or cancelling a job answers: where it now stands. */
export const JobMovedSchema = z
  .object({
    jobId: z.string(),
    state: z.enum(JOB_STATES),
    attempt: z.number().int().positive().optional(),
    /** The job was sent: the agent is told and answers (202 until it has). */
    cancelRequested: z.literal(true).optional(),
  })
  .meta({ id: 'JobMoved' });

export const AgentViewSchema = z
  .object({
    id: z.string(),
    office: z.string(),
    state: z.enum(['PENDING', 'ACTIVE', 'REVOKED']),
    createdAt: z.string(),
    publicJwk: z
      .object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() })
      .optional(),
    presence: PresenceSchema.optional(),
    lastSeen: z.string().optional(),
  })
  .meta({ id: 'AgentView' });

export const AgentListSchema = z.object({ items: z.array(AgentViewSchema) }).meta({ id: 'AgentList' });

/** A new agent and its one-time enrolment code (shown once; only its hash is stored). */
export const AgentAddedSchema = AgentViewSchema.extend({
  enrolmentCode: z.string(),
  enrolmentCodeExpiresAt: z.string(),
}).meta({ id: 'AgentAdded' });

/** A revoked agent and the open jobs its revocation ended (CANCELED, AGENT_REVOKED). */
export const AgentRevokedSchema = AgentViewSchema.extend({ endedJobs: z.array(z.string()) }).meta({
  id: 'AgentRevoked',
});

/** The caller as the API sees it (GET /v1/me): subject, role and, for operators, office. */
export const IdentityViewSchema = z
  .object({
    sub: z.string(),
    role: z.enum(['admin', 'operator', 'auditor', 'agent']),
    office: z.string().optional(),
  })
  .meta({ id: 'IdentityView' });
