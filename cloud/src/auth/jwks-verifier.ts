import { CardfleetError } from '@cardfleet/shared';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { identityFromClaims, type TokenVerifier } from './identity';

/**
 * A real identity provider: tokens verified against its published key set (JWKS),
 * issuer and audience. Roles and offices are claims the IdP puts in the token.
 */
export function jwksVerifier(jwksUrl: string, issuer: string, audience: string): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  return {
    async verify(token) {
      let claims: unknown;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, { issuer, audience }));
      } catch (cause) {
        throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause });
      }
      return identityFromClaims(claims);
    },
  };
}
