import { CardfleetError } from '@cardfleet/shared';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { type ClaimMapping, DEFAULT_CLAIM_MAPPING, identityFromMappedClaims } from './claim-mapping';
import type { TokenVerifier } from './identity';
import { checkTokenLifetime } from './token-lifetime';

/**
 * A real identity provider: tokens verified against its published key set (JWKS),
 * issuer and audience. Roles and offices are claims the IdP puts in the token, read
 * through `mapping` (claim-mapping.ts; by default `role` and `office` as they are, and
 * never the `agent` role: agents hold enrolled keys, not IdP accounts).
 */
export function jwksVerifier(
  jwksUrl: string,
  issuer: string,
  audience: string,
  nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  mapping: ClaimMapping = DEFAULT_CLAIM_MAPPING,
): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  return {
    async verify(token) {
      const now = nowSeconds();
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          issuer,
          audience,
          requiredClaims: ['exp'],
          currentDate: new Date(now * 1000),
        }));
      } catch (cause) {
        // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
        throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause });
      }
      checkTokenLifetime(claims, now);
      return identityFromMappedClaims(claims, mapping);
    },
  };
}
