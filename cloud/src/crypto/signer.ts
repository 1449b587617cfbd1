import type { CryptoKey } from 'jose';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * The `Signer` port (ES256): job envelopes, audit chain heads. A local key pair in
 * development and tests; an AWS KMS key (ECC_NIST_P256) in production. Keys rotate by
 * `kid`; the public key set is served to agents.
 */
export interface Signer {
  readonly kid: string;
  /** Compact JWS over the payload. */
  sign(payload: Uint8Array, typ: string): Promise<string>;
  publicJwk(): Promise<JWK>;
}

export async function localSigner(
  kid: string,
  keys?: { privateKey: CryptoKey; publicKey: CryptoKey },
): Promise<Signer & { privateKey: CryptoKey; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = keys ?? (await generateKeyPair('ES256', { extractable: true }));
  return {
    kid,
    privateKey,
    publicKey,
    sign: (payload, typ) =>
      new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid, typ }).sign(privateKey),
    publicJwk: async () => ({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }),
  };
}

/** Verifies a compact JWS made by a Signer; returns the payload or undefined. */
export async function verifySigned(jws: string, publicKey: CryptoKey | JWK): Promise<Uint8Array | undefined> {
  try {
    return (await compactVerify(jws, publicKey, { algorithms: ['ES256'] })).payload;
  } catch {
    return undefined;
  }
}
