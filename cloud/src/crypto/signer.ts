import { type JwsSigner, localJwsSigner } from '@cardfleet/shared';
import type { CryptoKey } from 'jose';
import { compactVerify, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * The `Signer` port (ES256): job envelopes, cancels, key sets, audit chain heads. A local
 * key pair in development and tests; an AWS KMS key (ECC_NIST_P256) in production. Keys
 * rotate by `kid`; the public key set is served to agents. It is the shared JwsSigner
 * (shared/src/messages/jws-signer.ts) with its public key: the wire messages' own sign
 * functions take it, so production and tests sign one way (docs/messaging.md).
 */
export interface Signer extends JwsSigner {
  publicJwk(): Promise<JWK>;
}

export async function localSigner(
  kid: string,
  keys?: { privateKey: CryptoKey; publicKey: CryptoKey },
): Promise<Signer & { privateKey: CryptoKey; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = keys ?? (await generateKeyPair('ES256', { extractable: true }));
  const { sign } = localJwsSigner(kid, privateKey);
  return {
    kid,
    privateKey,
    publicKey,
    sign,
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
