import { compactVerify, errors } from 'jose';
import type { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';
import { type JwsSigner, jsonBytes, SIGNING_ALGORITHM, type VerificationKey } from './jws-signer';
import { WIRE_VERSION, type WireVersion, wireVersionOf, withWireVersion } from './wire-version';

/**
 * Signed messages from the cloud to an agent (job envelopes, cancels): compact JWS
 * (RFC 7515 §7.1) over JSON claims, each kind with its own `typ` so that one kind can
 * never be taken for another (docs/messaging.md). Verification works on the raw bytes
 * before any payload parsing: size, canonical base64url, algorithm allow-list, `typ`,
 * pinned `kid`, signature — then the wire version, and only then the claims (schema,
 * audience, issuer, nbf/exp with a small skew).
 */
export const ALLOWED_JOB_ALGORITHMS = [SIGNING_ALGORITHM] as const;
/** IoT Core's message limit (128 KB) less room for MQTT headers and topics. */
export const MAX_ENVELOPE_BYTES = 126 * 1024;
export const DEFAULT_SKEW_SECONDS = 60;

export interface VerifyEnvelopeOptions {
  /** Pinned public keys by kid. */
  keys: ReadonlyMap<string, VerificationKey>;
  audience: string;
  issuer?: string;
  /** Seconds since the epoch (injected clock). */
  now: number;
  skewSeconds?: number;
}

type TimedClaims = { aud: string; iss: string; nbf: number; exp: number };

/** When and by whom a signed message is issued; the rest of its claims are its kind's. */
export interface IssueInput {
  issuer: string;
  /** Seconds since the epoch. */
  now: number;
  lifetimeSeconds: number;
}

/** The addressing and validity claims: for `agentId`, valid from 5 s ago for `lifetimeSeconds`. */
export function issuedClaims(agentId: string, input: IssueInput) {
  return {
    iss: input.issuer,
    aud: agentId,
    iat: input.now,
    nbf: input.now - 5,
    exp: input.now + input.lifetimeSeconds,
  };
}

/** Signing and verification of one kind of signed message: its `typ` and its claims schema. */
export function signedMessageKind<T extends TimedClaims>(typ: string, schema: z.ZodType<T>) {
  return {
    sign: (claims: T, signer: JwsSigner, version: WireVersion = WIRE_VERSION): Promise<string> =>
      signClaims(claims, schema, typ, signer, version),
    verify: (raw: string | Uint8Array, options: VerifyEnvelopeOptions): Promise<T> =>
      verifySignedClaims(raw, options, typ, schema),
  };
}

/** Signs claims (checked against their schema first) as `typ`, in wire format `version`. */
export function signClaims<T extends object>(
  claims: T,
  schema: z.ZodType<T>,
  typ: string,
  signer: JwsSigner,
  version: WireVersion,
): Promise<string> {
  return signer.sign(jsonBytes(withWireVersion(schema.parse(claims), version)), typ);
}

export async function verifySignedClaims<T extends TimedClaims>(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
  typ: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const json = await verifiedPayload(raw, options, typ);
  wireVersionOf(json, 'ENVELOPE_UNSUPPORTED_VERSION', typ);
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

/** The JSON payload of a compact JWS of `typ` signed by a pinned key. */
async function verifiedPayload(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
  typ: string,
): Promise<unknown> {
  // Stryker disable next-line ConditionalExpression: Buffer.byteLength of bytes is their length
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_ENVELOPE_BYTES)
    throw reject('ENVELOPE_TOO_LARGE', `envelope of ${size} bytes exceeds ${MAX_ENVELOPE_BYTES}`);
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  const segments = text.split('.');
  // Non-canonical base64url (changed padding bits) would decode to the same bytes:
  // refuse it so that any changed byte of an envelope fails verification.
  if (
    // Stryker disable next-line ConditionalExpression: jose refuses any other number of segments as ENVELOPE_MALFORMED too
    segments.length !== 3 ||
    segments.some(
      // Stryker disable next-line Regex: a character outside the alphabet at either end also fails the canonical re-encoding beside it
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
        // Stryker disable next-line ConditionalExpression: a Map has no undefined key, so get(undefined) is undefined too
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
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (cause) {
    throw reject('ENVELOPE_MALFORMED', 'the payload is not JSON', cause);
  }
}

/** The `typ` of a compact JWS, read without trusting it (to route jobs vs cancels). */
export function signedMessageType(raw: string | Uint8Array): string | undefined {
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  try {
    const header = JSON.parse(Buffer.from(text.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      typ?: unknown;
    };
    return typeof header.typ === 'string' ? header.typ : undefined;
    // Stryker disable next-line BlockStatement: the function returns undefined after the catch either way
  } catch {
    return undefined;
  }
}

function reject(code: ErrorCode, message: string, cause?: unknown): CardfleetError {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ObjectLiteral: the cause is for logs; the check is the code
  return new CardfleetError(code, message, cause === undefined ? {} : { cause });
}
