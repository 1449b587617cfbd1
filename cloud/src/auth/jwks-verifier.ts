import { CardfleetError } from '@cardfleet/shared';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { IdentitySchema, type TokenVerifier } from './identity';

/**
 * A real identity provider: tokens verified against its published key set (JWKS),
 * issuer and audience. Roles and offices are claims the IdP puts in the token.
 */
export function jwksVerifier(jwksUrl: string, issuer: string, audience: string): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, { issuer, audience });
        return IdentitySchema.parse(payload);
      } catch (cause) {
        throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause });
      }
    },
  };
}
