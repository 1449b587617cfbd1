import { CardfleetError } from '../errors/cardfleet-error';
import { executionId } from './execution-id';
import { JOB_ENVELOPE_TYPE, type JobClaims, JobClaimsSchema } from './job-claims';
import { signedMessageKind, type VerifyEnvelopeOptions } from './signed-claims';

/**
 * Signing and verification of job envelopes (compact JWS, typ `cardfleet-job+jws`;
 * docs/messaging.md). The one path for the cloud's publication and for tests: both
 * sign through a JwsSigner. Verification is shared with cancels (signed-claims.ts);
 * here only what is particular to a job: the `jti` names the job's execution. Replay
 * (`jti`) and ordering (`seq`) need the agent's ledger and are checked there.
 */
const envelopes = signedMessageKind(JOB_ENVELOPE_TYPE, JobClaimsSchema);
export const signJobEnvelope = envelopes.sign;

export async function verifyJobEnvelope(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
): Promise<JobClaims> {
  const claims = await envelopes.verify(raw, options);
  if (claims.jti !== executionId(claims.job.id, claims.job.attempt))
    throw new CardfleetError('ENVELOPE_BAD_CLAIMS', 'jti does not match job id and attempt');
  return claims;
}
