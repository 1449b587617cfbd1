import { z } from 'zod';
import { EXECUTION_ID_PATTERN, executionId } from './execution-id';
import { type IssueInput, issuedClaims } from './signed-claims';

/**
 * The job envelope: a compact JWS (RFC 7515) whose payload is these claims
 * (docs/messaging.md, "Job envelope"). The bundle travels inside it, so the agent needs
 * nothing else to run the job; secrets travel as a JWE (RFC 7516, ECDH-ES) encrypted to
 * the agent's own key, so the cloud's signing key never reveals them.
 */
export const JOB_ENVELOPE_TYPE = 'cardfleet-job+jws';

const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const BundleFileSchema = z.object({
  name: z.string().regex(/^[^/\\]{1,128}$/),
  base64: z.string(),
});

export const JobClaimsSchema = z.object({
  iss: z.string().min(1),
  /** The agent id: an envelope is for exactly one agent. */
  aud: identifier,
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  /** `${jobId}:${attempt}` — unique per execution; replays are refused by it. */
  jti: z.string().regex(EXECUTION_ID_PATTERN),
  /** Per-agent sequence number that only grows. */
  seq: z.number().int().positive(),
  job: z.object({
    id: identifier,
    attempt: z.number().int().positive(),
    office: identifier,
    encoding: z.object({ id: identifier, version: z.number().int().positive(), sha256: sha256Hex }),
    bundle: z.array(BundleFileSchema).min(1),
    /** Non-secret job field values. */
    fields: z.record(z.string(), z.string()),
    /** Secret field values as a compact JWE for this agent, when there are any. */
    secrets: z.string().optional(),
    /**
     * The bundle's literal secrets, taken out of `bundle` at publication: a compact JWE
     * for this agent of { placeholder: text } (wire v3; shared/src/bundle/sealed-literals.ts).
     */
    literals: z.string().optional(),
    /** Names of every secret field (so the agent redacts them even when empty). */
    secretFields: z.array(z.string()),
    reader: z.string().optional(),
    /**
     * A dry run (docs/security.md, "Dry runs"): the agent runs it on its in-process
     * dry-run card only, never on a reader, and refuses it (DRY_RUN_UNAVAILABLE) when it
     * has none. Signed like every claim, so it cannot be added or removed on the way. An
     * older agent's schema would drop it and run the job on its reader: the cloud sends a
     * dry run only to an agent whose presence announces its dry-run card
     * (cloud/src/publishing/job-publication.ts). Absent: a job for the card in the reader.
     */
    dryRun: z.literal(true).optional(),
    /**
     * The API call that created the job (its `x-request-id`), for the agent's log lines.
     * Optional and informative: an older agent's schema drops it (zod strips unknown
     * keys), so it needs no new wire version (docs/messaging.md, "Versions").
     */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/)
      .optional(),
  }),
});

export type JobClaims = z.infer<typeof JobClaimsSchema>;

/** What the cloud decides about one execution; the rest of the claims follow from it. */
export interface JobClaimsInput extends IssueInput {
  seq: number;
  job: JobClaims['job'];
}

/** Envelope claims: addressed to `agentId`, valid from 5 s ago for `lifetimeSeconds`. */
export function buildJobClaims(agentId: string, input: JobClaimsInput): JobClaims {
  return JobClaimsSchema.parse({
    ...issuedClaims(agentId, input),
    jti: executionId(input.job.id, input.job.attempt),
    seq: input.seq,
    job: input.job,
  });
}
