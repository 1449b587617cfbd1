import { z } from 'zod';
import { ID_PATTERN } from '../messages/api-schemas';

/**
 * Encoding releases through the API (docs/releases.md): the version lifecycle, release
 * stages, failure thresholds, and the request and answer bodies of the release routes —
 * one source for the routes (which validate with them and describe them in /openapi.json)
 * and the CLI.
 */

/** An encoding version's lifecycle. A version pushed before releases existed counts as released to all. */
export const VERSION_STATUSES = ['draft', 'approved', 'released', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** ACTIVE: runnable in its offices; HALTED: no new job, queued ones held; ROLLED_BACK: ended. */
export const RELEASE_STATES = ['ACTIVE', 'HALTED', 'ROLLED_BACK'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

/** The office name of a stage that releases to every office. */
export const EVERY_OFFICE = '*';

const OfficeSchema = z.union([z.string().regex(ID_PATTERN), z.literal(EVERY_OFFICE)]);

/**
 * When a release halts by itself: more than `firstMaxFailures` failures among its first
 * `firstJobs` counted jobs, or — once `window` jobs were counted — more than
 * `windowMaxFailureRate` of the last `window` failed.
 */
export const ReleaseThresholdsSchema = z.object({
  firstJobs: z.number().int().min(1).max(1000),
  firstMaxFailures: z.number().int().min(0).max(1000),
  window: z.number().int().min(1).max(1000),
  windowMaxFailureRate: z.number().min(0).max(1),
});
export type ReleaseThresholds = z.infer<typeof ReleaseThresholdsSchema>;

export const DEFAULT_RELEASE_THRESHOLDS: ReleaseThresholds = {
  firstJobs: 10,
  firstMaxFailures: 2,
  window: 50,
  windowMaxFailureRate: 0.2,
};

/** `POST /v1/encodings/:id/versions/:version/releases`: the stages, canary first. */
export const CreateReleaseSchema = z.object({
  stages: z
    .array(z.array(OfficeSchema).min(1).max(100))
    .min(1)
    .max(10)
    .refine(
      (stages) => stages.slice(0, -1).every((s) => !s.includes(EVERY_OFFICE)),
      'only the last stage may be every office ("*")',
    ),
  thresholds: ReleaseThresholdsSchema.partial().optional(),
});
export type CreateRelease = z.infer<typeof CreateReleaseSchema>;

/** Halt, resume, promote, roll back, retire: an optional reason kept in the audit entry. */
export const ReleaseActionSchema = z.object({ reason: z.string().max(500).optional() }).default({});

export const EncodingVersionParamsSchema = z.object({
  id: z.string().regex(ID_PATTERN),
  version: z.coerce.number().int().positive(),
});
export const ReleaseParamsSchema = z.object({ rid: z.uuid() });
export const EncodingParamsSchema = z.object({ id: z.string().regex(ID_PATTERN) });

export const ReleaseListQuerySchema = z.object({
  encodingId: z.string().regex(ID_PATTERN).optional(),
  state: z.enum(RELEASE_STATES).optional(),
});
export const RunnableQuerySchema = z.object({ office: z.string().regex(ID_PATTERN).optional() });

export const VersionLifecycleSchema = z.object({
  encodingId: z.string(),
  version: z.number().int(),
  status: z.enum(VERSION_STATUSES),
  /** Pushed before releases existed: runnable in every office without a release. */
  legacy: z.boolean(),
  uploadedBy: z.string(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  retiredBy: z.string().optional(),
  retiredAt: z.string().optional(),
});
export type VersionLifecycle = z.infer<typeof VersionLifecycleSchema>;

/**
 * What an approver sees: the version's lifecycle and the version it replaces (the newest
 * lower version that is released or legacy). The redacted diff between the two is what
 * `GET diff.path` serves; `cardfleet encodings approve` prints it.
 */
export const ApprovalSchema = z.object({
  lifecycle: VersionLifecycleSchema,
  replaces: z.number().int().nullable(),
  diff: z.object({ from: z.number().int(), to: z.number().int(), path: z.string() }).nullable(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

const OutcomeSchema = z.object({ key: z.string(), failed: z.boolean() });

export const ReleaseSchema = z.object({
  releaseId: z.string(),
  encodingId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  state: z.enum(RELEASE_STATES),
  stages: z.array(z.array(z.string())),
  /** Index of the stage reached: offices of stages 0…stage run this version. */
  stage: z.number().int(),
  /** The offices the release reached so far (`*`: every office). */
  offices: z.array(z.string()),
  thresholds: ReleaseThresholdsSchema,
  counts: z.object({
    counted: z.number().int(),
    failed: z.number().int(),
    /** Jobs that ended on this release without counting (cancelled, timed out, a mistyped PIN…). */
    ignored: z.number().int(),
    first: z.array(OutcomeSchema),
    recent: z.array(OutcomeSchema),
    ignoredRecent: z.array(z.string()),
  }),
  /** Why it halted (the threshold crossed, or the admin's reason), while HALTED. */
  halt: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  history: z.array(
    z.object({ action: z.string(), at: z.string(), by: z.string(), offices: z.array(z.string()) }),
  ),
});
export type Release = z.infer<typeof ReleaseSchema>;

export const ReleaseListSchema = z.object({ items: z.array(ReleaseSchema) });

/** What an office may run of an encoding: the released version, or the legacy versions. */
export const RunnableSchema = z.object({
  encodingId: z.string(),
  office: z.string(),
  versions: z.array(z.number().int()),
  releaseId: z.string().optional(),
  releaseState: z.enum(RELEASE_STATES).optional(),
});
export type Runnable = z.infer<typeof RunnableSchema>;
