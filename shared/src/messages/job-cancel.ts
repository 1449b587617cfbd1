import { z } from 'zod';
import { type IssueInput, issuedClaims, signedMessageKind } from './signed-claims';

/**
 * A signed cancel message (compact JWS, typ `cardfleet-cancel+jws`) on the agent's jobs
 * topic: a person cancelled a job the agent may already hold. It is verified like an
 * envelope (pinned kid, audience, validity window) and names one execution
 * (`jobId:attempt`): a retried attempt is not touched by an old cancel. The agent
 * honours it only while the job has not touched the card; a job already running or
 * finished keeps its real outcome (the agent never stops a card operation half-way).
 */
export const JOB_CANCEL_TYPE = 'cardfleet-cancel+jws';

export const CancelClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.string().min(1),
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  cancel: z.object({ jobId: z.string().min(1).max(128), attempt: z.number().int().positive() }),
  by: z.string().max(256),
});
export type CancelClaims = z.infer<typeof CancelClaimsSchema>;

/** Cancel claims for one execution, valid from 5 s ago for `lifetimeSeconds`. */
export function buildCancelClaims(
  agentId: string,
  input: IssueInput & { cancel: CancelClaims['cancel']; by: string },
): CancelClaims {
  return CancelClaimsSchema.parse({ ...issuedClaims(agentId, input), cancel: input.cancel, by: input.by });
}

const cancelMessages = signedMessageKind(JOB_CANCEL_TYPE, CancelClaimsSchema);
export const signCancelMessage = cancelMessages.sign;
export const verifyCancelMessage = cancelMessages.verify;
