import { CompactSign, type CryptoKey, type JWK, type KeyObject } from 'jose';

/**
 * The signing port every signed wire message goes through (compact JWS, RFC 7515, ES256
 * — docs/messaging.md): the cloud's Signer (a local key, or AWS KMS) and the agent's own
 * key both fit it, so production and tests sign through the same message functions.
 */
export interface JwsSigner {
  readonly kid: string;
  /** A compact JWS over `payload` with protected header `{ alg: ES256, kid, typ }`. */
  sign(payload: Uint8Array, typ: string): Promise<string>;
}

export type VerificationKey = CryptoKey | KeyObject | JWK | Uint8Array;

export const SIGNING_ALGORITHM = 'ES256';

/** A JwsSigner over a private key held in this process (the agent's key; tests). */
export function localJwsSigner(kid: string, privateKey: CryptoKey | KeyObject): JwsSigner {
  return {
    kid,
    sign: (payload, typ) =>
      new CompactSign(payload).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ }).sign(privateKey),
  };
}

/** JSON bytes of a message, as signed. */
export function jsonBytes(message: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}
