import { z } from 'zod';
import { type IssueInput, issuedClaims, signedMessageKind } from './signed-claims';

/**
 * The signed batch message (compact JWS, typ `cardfleet-batch+jws`) on the agent's jobs
 * topic (docs/batches.md): a batch is OPEN on one of its readers — the agent waits for
 * cards there and asks for each card's job — or CLOSED (stopped by a person, halted, or
 * completed), with the reason the agent shows. It is verified like an envelope (pinned
 * kid, audience, issuer, validity window; signed-claims.ts) under its own `typ`, so a job
 * or a cancel is never taken for a batch, nor a batch for either. It carries no bundle,
 * no field and no secret: every card gets its own fresh signed job envelope.
 */
export const BATCH_MESSAGE_TYPE = 'cardfleet-batch+jws';

/** An OPEN batch message lives as long as a batch may run; the agent keeps it on disk. */
export const BATCH_OPEN_SECONDS = 24 * 3600;
/** A CLOSED one is acted on at once. */
export const BATCH_CLOSED_SECONDS = 300;

const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);

export const BATCH_STATES = ['RUNNING', 'STOPPED', 'COMPLETED', 'HALTED'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export const BatchClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: identifier,
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  batch: z.object({
    id: identifier,
    office: identifier,
    reader: z.string().min(1).max(256),
    encoding: z.object({ id: identifier, version: z.number().int().positive() }),
    /** How many cards (absent: until a person stops it). */
    count: z.number().int().positive().optional(),
    /** The batch halts after this many failed cards in a row (docs/batches.md). */
    stopAfterConsecutiveFailures: z.number().int().positive(),
    status: z.enum(['OPEN', 'CLOSED']),
    /** Why it closed (CLOSED only): the batch's state and the reason the agent shows. */
    closed: z.object({ state: z.enum(BATCH_STATES), reason: z.string().max(300) }).optional(),
  }),
});
export type BatchClaims = z.infer<typeof BatchClaimsSchema>;
export type BatchDescription = BatchClaims['batch'];

/** Batch claims for `agentId`: OPEN ones live BATCH_OPEN_SECONDS, CLOSED ones BATCH_CLOSED_SECONDS. */
export function buildBatchClaims(
  agentId: string,
  input: Omit<IssueInput, 'lifetimeSeconds'> & { batch: BatchDescription },
): BatchClaims {
  const lifetimeSeconds = input.batch.status === 'OPEN' ? BATCH_OPEN_SECONDS : BATCH_CLOSED_SECONDS;
  return BatchClaimsSchema.parse({
    ...issuedClaims(agentId, { ...input, lifetimeSeconds }),
    batch: input.batch,
  });
}

const batchMessages = signedMessageKind(BATCH_MESSAGE_TYPE, BatchClaimsSchema);
export const signBatchMessage = batchMessages.sign;
export const verifyBatchMessage = batchMessages.verify;
