import { createHash } from 'node:crypto';
import {
  CardfleetError,
  decryptSecrets,
  type ErrorCode,
  type JobClaims,
  type JobResult,
  openSealedBundle,
  type VerificationKey,
  verifyJobEnvelope,
} from '@cardfleet/shared';
import type { CryptoKey, KeyObject } from 'jose';
import type { JobLedger } from './job-ledger';
import { rejectedResult } from './job-results';

/**
 * The agent's gate for job envelopes (docs/messaging.md, "Job envelope"), before any
 * APDU: verify over the raw bytes (allow-listed alg, pinned kid, typ, signature), then
 * the wire version (newer than this agent knows → ENVELOPE_UNSUPPORTED_VERSION: the
 * agent is older than the cloud and must be upgraded; it never guesses at a newer
 * format), then the claims (aud = this agent, nbf/exp with skew), then replay (`jti` in
 * the ledger → DUPLICATE with the stored result) and ordering (`seq` must grow), then
 * decrypt the secrets and the sealed literals, put the literals back into the bundle and
 * check it against the sha256 its encoding version recorded (docs/messaging.md, "Sealed
 * literals") — nothing parses the bundle before that. Every refusal is REJECTED with its
 * code and names the envelope by its sha256, never by unverified content.
 */
export type GateDecision =
  | { kind: 'run'; claims: JobClaims; secrets: Record<string, string> }
  | { kind: 'duplicate'; jti: string; result: JobResult | undefined }
  | { kind: 'rejected'; result: JobResult };

export interface GateOptions {
  agentId: string;
  keys: ReadonlyMap<string, VerificationKey>;
  privateKey: CryptoKey | KeyObject;
  ledger: JobLedger;
  /** Seconds since the epoch. */
  now: () => number;
  isoNow: () => string;
}

export async function admitEnvelope(raw: string | Uint8Array, options: GateOptions): Promise<GateDecision> {
  const envelopeSha256 = createHash('sha256').update(raw).digest('hex');
  const reject = (code: ErrorCode, message: string): GateDecision => ({
    kind: 'rejected',
    result: rejectedResult(options.agentId, envelopeSha256, options.isoNow(), { code, message }),
  });
  let claims: JobClaims;
  try {
    claims = await verifyJobEnvelope(raw, {
      keys: options.keys,
      audience: options.agentId,
      now: options.now(),
    });
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: the verifier throws only CardfleetError; the rethrow is for bugs
    if (error instanceof CardfleetError) return reject(error.code, error.message);
    throw error;
  }
  const seen = options.ledger.lookup(claims.jti);
  if (seen) return { kind: 'duplicate', jti: claims.jti, result: seen.result };
  if (claims.seq <= options.ledger.lastSeq()) {
    return reject('ENVELOPE_SEQ_NOT_GROWING', `seq ${claims.seq} is not above ${options.ledger.lastSeq()}`);
  }
  let secrets: Record<string, string> = {};
  let bundle: JobClaims['job']['bundle'];
  try {
    if (claims.job.secrets) secrets = await decryptSecrets(claims.job.secrets, options.privateKey);
    const literals = claims.job.literals ? await decryptSecrets(claims.job.literals, options.privateKey) : {};
    bundle = openSealedBundle(claims.job.bundle, literals, claims.job.encoding.sha256);
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: the openers throw only CardfleetError; the rethrow is for bugs
    if (error instanceof CardfleetError) return reject(error.code, error.message);
    throw error;
  }
  // Journaled before the first card operation: a crash from here on is INTERRUPTED, never re-run.
  options.ledger.accept(claims.jti, claims.seq);
  return { kind: 'run', claims: { ...claims, job: { ...claims.job, bundle } }, secrets };
}
