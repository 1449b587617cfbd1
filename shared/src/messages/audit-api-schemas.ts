import { z } from 'zod';
import { AuditQuerySchema } from './api-schemas';

/**
 * Requests and answers of the audit routes (`/v1/audit…`, docs/cloud.md "Auditor"), for
 * the API's validation and its generated /openapi.json. Hashes and roots are hex SHA-256;
 * checkpoints are compact JWS (typ cardfleet-checkpoint+jws), tree heads per RFC 6962.
 */

/** The list and export filters; the cursor is opaque (cloud/src/audit/audit-pages.ts). */
export const AuditFilterQuerySchema = AuditQuerySchema.extend({ cursor: z.string().max(2000).optional() });

export const AuditRepairSchema = z.object({
  shard: z.union([z.number().int().nonnegative(), z.literal('LOG')]),
  from: z.number().int().positive().optional(),
  to: z.number().int().positive().optional(),
  reason: z.string().min(1).max(500),
});

const Where = {
  shard: z.union([z.number().int(), z.literal('LOG')]),
  seq: z.number().int(),
  reason: z.string(),
};

export const AuditEntryViewSchema = z
  .object({
    shard: z.number().int(),
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    office: z.string(),
    agentId: z.string().optional(),
    cardSerial: z.string().optional(),
    encoding: z.object({ id: z.string(), version: z.number().int(), sha256: z.string() }).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    prevHash: z.string(),
    hash: z.string(),
    /** HMAC under the audit data key: only the cloud can check it (docs/security.md). */
    mac: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntryViewSchema), nextCursor: z.string().optional() })
  .meta({ id: 'AuditPage' });

export const AuditVerifySchema = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    checkpoint: z
      .object({ index: z.number().int(), size: z.number().int(), root: z.string(), jws: z.string() })
      .optional(),
    from: z.number().int().optional(),
    uncovered: z.number().int(),
    problems: z.array(z.object(Where)),
    quarantined: z.array(
      z.object({
        shard: z.number().int(),
        from: z.number().int(),
        to: z.number().int(),
        reason: z.string(),
        at: z.string(),
        by: z.string(),
      }),
    ),
    alerts: z.array(z.object({ ...Where, at: z.string(), repaired: z.string().optional() })),
    shard: Where.shard.optional(),
    seq: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'AuditVerify' });

export const AuditCheckpointSchema = z
  .object({
    index: z.number().int(),
    size: z.number().int(),
    root: z.string(),
    at: z.string(),
    checkpoint: z.string(),
  })
  .meta({ id: 'AuditCheckpoint' });

export const AuditConsistencySchema = z
  .object({ from: z.string(), to: z.string(), proof: z.array(z.string()) })
  .meta({ id: 'AuditConsistency' });

/**
 * A card's proofs: against the newest checkpoint, or against checkpoint `checkpoint` —
 * the one the caller already verified (the console pins it, docs/console-audit.md).
 */
export const AuditProveQuerySchema = z.object({
  card: z.string().min(1).max(200),
  checkpoint: z.coerce.number().int().positive().optional(),
});

/** One entry by its position: shard and sequence number. */
export const AuditEntryParamsSchema = z.object({
  shard: z.coerce.number().int().nonnegative(),
  seq: z.coerce.number().int().positive(),
});

export const AuditCardProofSchema = z
  .object({
    cardSerial: z.string(),
    checkpoint: z.string(),
    entries: z.array(
      z.object({ entry: AuditEntryViewSchema, index: z.number().int(), proof: z.array(z.string()) }),
    ),
    pending: z.array(z.object({ shard: z.number().int(), seq: z.number().int() })),
  })
  .meta({ id: 'AuditCardProof' });

export const AuditRepairedSchema = z
  .object({
    shard: Where.shard,
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    restored: z.array(z.number().int()).optional(),
  })
  .meta({ id: 'AuditRepaired' });
