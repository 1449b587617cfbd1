import { CardfleetError } from '@cardfleet/shared';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { z } from 'zod';
import { checkTokenLifetime, MAX_TOKEN_SECONDS } from './token-lifetime';

/**
 * Who calls the API: bearer JWTs carrying a role and, for operators and agents, an
 * office. A local issuer (keys generated on start) serves development and tests; a
 * real IdP plugs in through the same TokenVerifier.
 */
export const ROLES = ['admin', 'operator', 'auditor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/**
 * An operator acts for one office (docs/security.md, "An office operator"): a token
 * with role operator and no office is refused, so no route has to guess what a missing
 * office means.
 */
export const IdentitySchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('operator'), office: z.string().min(1) }),
  z.object({
    sub: z.string().min(1),
    role: z.enum(['admin', 'auditor', 'agent']),
    office: z.string().min(1).optional(),
  }),
]);
export type Identity = z.infer<typeof IdentitySchema>;

/**
 * The identity a verified token's claims carry. A valid signature with a role but no
 * usable identity answers 403 (OFFICE_REQUIRED for an operator without an office); a
 * token that is not even claims of a known role answers 401.
 */
export function identityFromClaims(claims: unknown): Identity {
  const identity = IdentitySchema.safeParse(claims);
  if (identity.success) return identity.data;
  if (
    // Stryker disable next-line ConditionalExpression: `claims !== null` and the property reads below give the same answer for any other type
    typeof claims === 'object' &&
    claims !== null &&
    (claims as { role?: unknown }).role === 'operator' &&
    typeof (claims as { sub?: unknown }).sub === 'string'
  )
    throw new CardfleetError('OFFICE_REQUIRED', 'an operator token must carry an office claim');
  // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
  throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause: identity.error });
}

export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
}

export const LOCAL_ISSUER = 'cardfleet-local';
export const API_AUDIENCE = 'cardfleet-api';

/** What the local issuer signs; its verifier, like any other, refuses what is not an Identity. */
export interface TokenClaims {
  sub: string;
  role: Role;
  office?: string;
}

export interface LocalIssuer extends TokenVerifier {
  issue(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  publicJwk(): Promise<JWK>;
}

export async function localIssuer(
  keys?: {
    privateKey: CryptoKey;
    publicKey: CryptoKey;
  },
  nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
): Promise<LocalIssuer> {
  // Stryker disable next-line BooleanLiteral,ObjectLiteral: a public key exports whatever `extractable` says, and the private key is never exported
  const { privateKey, publicKey } = keys ?? (await generateKeyPair('ES256', { extractable: true }));
  return {
    // Never longer than the verifiers take (token-lifetime.ts).
    issue: (identity, ttlSeconds = MAX_TOKEN_SECONDS) =>
      new SignJWT({ role: identity.role, ...(identity.office ? { office: identity.office } : {}) })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(identity.sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(API_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${Math.min(ttlSeconds, MAX_TOKEN_SECONDS)}s`)
        .sign(privateKey),
    verify: (token) => verifyToken(token, publicKey, nowSeconds()),
    publicJwk: () => exportJWK(publicKey),
  };
}

async function verifyToken(token: string, key: CryptoKey, now: number): Promise<Identity> {
  const claims = await verifiedClaims(token, key, now);
  checkTokenLifetime(claims, now);
  return identityFromClaims(claims);
}

async function verifiedClaims(token: string, key: CryptoKey, now: number): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: LOCAL_ISSUER,
      audience: API_AUDIENCE,
      algorithms: ['ES256'],
      requiredClaims: ['exp'],
      currentDate: new Date(now * 1000),
    });
    return payload;
  } catch (cause) {
    // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
    throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause });
  }
}
