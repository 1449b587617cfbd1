import { z } from 'zod';
import { JOB_STATES } from '../jobs/job-lifecycle';
import { isAgentBrokerId } from './broker-policy';

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
    bundleBytes: z.number().int().nonnegative(),
    files: z.array(z.object({ name: z.string(), text: z.string() })),
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
