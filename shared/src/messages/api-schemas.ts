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
