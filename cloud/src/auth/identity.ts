import { CardfleetError } from '@cardfleet/shared';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

/**
 * Who calls the API: bearer JWTs carrying a role and, for operators and agents, an
 * office. A local issuer (keys generated on start) serves development and tests; a
 * real IdP plugs in through the same TokenVerifier.
 */
export const ROLES = ['admin', 'operator', 'auditor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const IdentitySchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  office: z.string().min(1).optional(),
});
export type Identity = z.infer<typeof IdentitySchema>;

export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
}

export const LOCAL_ISSUER = 'cardfleet-local';
export const API_AUDIENCE = 'cardfleet-api';

export interface LocalIssuer extends TokenVerifier {
  issue(identity: Identity, ttlSeconds?: number): Promise<string>;
  publicJwk(): Promise<JWK>;
}

export async function localIssuer(keys?: {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}): Promise<LocalIssuer> {
  const { privateKey, publicKey } = keys ?? (await generateKeyPair('ES256', { extractable: true }));
  return {
    issue: (identity, ttlSeconds = 12 * 3600) =>
      new SignJWT({ role: identity.role, ...(identity.office ? { office: identity.office } : {}) })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(identity.sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(API_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
    verify: (token) => verifyToken(token, publicKey),
    publicJwk: () => exportJWK(publicKey),
  };
}

async function verifyToken(token: string, key: CryptoKey): Promise<Identity> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: LOCAL_ISSUER,
      audience: API_AUDIENCE,
      algorithms: ['ES256'],
    });
    return IdentitySchema.parse(payload);
  } catch (cause) {
    throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause });
  }
}
