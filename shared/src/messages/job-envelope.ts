import { CardfleetError } from '../errors/cardfleet-error';
import { executionId } from './execution-id';
import { JOB_ENVELOPE_TYPE, type JobClaims, JobClaimsSchema } from './job-claims';
import type { JwsSigner } from './jws-signer';
import { signClaims, type VerifyEnvelopeOptions, verifySignedClaims } from './signed-claims';
import { WIRE_VERSION, type WireVersion } from './wire-version';

/**
 * Signing and verification of job envelopes (compact JWS, typ `cardfleet-job+jws`;
 * docs/messaging.md). The one path for the cloud's publication and for tests: both
 * sign through a JwsSigner. Verification is shared with cancels (signed-claims.ts);
 * here only what is particular to a job: the `jti` names the job's execution. Replay
 * (`jti`) and ordering (`seq`) need the agent's ledger and are checked there.
 */
export function signJobEnvelope(
  claims: JobClaims,
  signer: JwsSigner,
  version: WireVersion = WIRE_VERSION,
): Promise<string> {
  return signClaims(claims, JobClaimsSchema, JOB_ENVELOPE_TYPE, signer, version);
}

export async function verifyJobEnvelope(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
): Promise<JobClaims> {
  const claims = await verifySignedClaims(raw, options, JOB_ENVELOPE_TYPE, JobClaimsSchema);
  if (claims.jti !== executionId(claims.job.id, claims.job.attempt))
    throw new CardfleetError('ENVELOPE_BAD_CLAIMS', 'jti does not match job id and attempt');
  return claims;
}
