import { CompactSign, type CryptoKey, compactVerify, errors, type JWK, type KeyObject } from 'jose';
import type { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';
import {
  ALLOWED_JOB_ALGORITHMS,
  JOB_ENVELOPE_TYPE,
  type JobClaims,
  JobClaimsSchema,
  MAX_ENVELOPE_BYTES,
} from './job-claims';

/**
 * Signing and verification of job envelopes (compact JWS, RFC 7515 §7.1).
 * Verification works on the raw bytes before any payload parsing: size, canonical
 * base64url, algorithm allow-list, known `kid`, `typ`, signature — and only then the
 * claims (schema, audience, nbf/exp with a small skew). Replay (`jti`) and ordering
 * (`seq`) need the agent's ledger and are checked there.
 */
export type VerificationKey = CryptoKey | KeyObject | JWK | Uint8Array;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | KeyObject;
}

export interface VerifyEnvelopeOptions {
  /** Pinned public keys by kid. */
  keys: ReadonlyMap<string, VerificationKey>;
  audience: string;
  issuer?: string;
  /** Seconds since the epoch (injected clock). */
  now: number;
  skewSeconds?: number;
}

export const DEFAULT_SKEW_SECONDS = 60;

export async function signJobEnvelope(claims: JobClaims, key: SigningKey): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(JobClaimsSchema.parse(claims)));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: ALLOWED_JOB_ALGORITHMS[0], kid: key.kid, typ: JOB_ENVELOPE_TYPE })
    .sign(key.privateKey);
}

export async function verifyJobEnvelope(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
): Promise<JobClaims> {
  const claims = await verifySignedClaims(raw, options, JOB_ENVELOPE_TYPE, JobClaimsSchema);
  if (claims.jti !== `${claims.job.id}:${claims.job.attempt}`)
    throw reject('ENVELOPE_BAD_CLAIMS', 'jti does not match job id and attempt');
  return claims;
}

/**
 * The checks every signed message from the cloud to an agent passes (job envelopes,
 * cancel messages): size, canonical segments, typ, pinned kid, allowed alg,
 * signature, then the claims' schema, audience, issuer and validity window.
 */
export async function verifySignedClaims<T extends { aud: string; iss: string; nbf: number; exp: number }>(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
  typ: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_ENVELOPE_BYTES)
    throw reject('ENVELOPE_TOO_LARGE', `envelope of ${size} bytes exceeds ${MAX_ENVELOPE_BYTES}`);
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  const segments = text.split('.');
  // Non-canonical base64url (changed padding bits) would decode to the same bytes:
  // refuse it so that any changed byte of an envelope fails verification.
  if (
    segments.length !== 3 ||
    segments.some(
      (s) => !/^[A-Za-z0-9_-]+$/.test(s) || Buffer.from(s, 'base64url').toString('base64url') !== s,
    )
  ) {
    throw reject('ENVELOPE_MALFORMED', 'not a compact JWS with canonical base64url segments');
  }
  let payload: Uint8Array;
  try {
    const verified = await compactVerify(
      text,
      (header) => {
        if (header.typ !== typ) throw reject('ENVELOPE_BAD_TYPE', `typ must be ${typ}`);
        const key = header.kid === undefined ? undefined : options.keys.get(header.kid);
        if (!key) throw reject('ENVELOPE_UNKNOWN_KID', 'signed with a key that is not pinned');
        return key;
      },
      { algorithms: [...ALLOWED_JOB_ALGORITHMS] },
    );
    payload = verified.payload;
  } catch (error) {
    if (error instanceof CardfleetError) throw error;
    if (error instanceof errors.JOSEAlgNotAllowed)
      throw reject('ENVELOPE_ALG_NOT_ALLOWED', 'algorithm not allowed', error);
    if (error instanceof errors.JWSSignatureVerificationFailed)
      throw reject('ENVELOPE_BAD_SIGNATURE', 'signature does not verify', error);
    throw reject('ENVELOPE_MALFORMED', 'the envelope is not a valid JWS', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (cause) {
    throw reject('ENVELOPE_MALFORMED', 'the payload is not JSON', cause);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw reject('ENVELOPE_BAD_CLAIMS', `the claims do not match the ${typ} schema`, parsed.error);
  const claims = parsed.data;
  const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (claims.aud !== options.audience)
    throw reject('ENVELOPE_WRONG_AUDIENCE', 'the job is addressed to another agent');
  if (options.issuer !== undefined && claims.iss !== options.issuer)
    throw reject('ENVELOPE_WRONG_ISSUER', 'unexpected issuer');
  if (claims.nbf > options.now + skew)
    throw reject('ENVELOPE_NOT_YET_VALID', 'the job is not valid yet (nbf)');
  if (claims.exp <= options.now - skew) throw reject('ENVELOPE_EXPIRED', 'the job has expired (exp)');
  if (claims.exp <= claims.nbf) throw reject('ENVELOPE_BAD_CLAIMS', 'exp is not after nbf');
  return claims;
}

function reject(code: ErrorCode, message: string, cause?: unknown): CardfleetError {
  return new CardfleetError(code, message, cause === undefined ? {} : { cause });
}
