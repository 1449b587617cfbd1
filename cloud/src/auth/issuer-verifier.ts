import { CardfleetError } from '@cardfleet/shared';
import { decodeJwt } from 'jose';
import type { TokenVerifier } from './identity';

/**
 * One verifier for tokens of several issuers (the local issuer and an IdP, on one
 * machine): the token's `iss`, read unverified, only chooses which verifier checks it —
 * that verifier then checks signature, issuer and audience in full. An `iss` no
 * verifier is configured for is refused, never tried against the others.
 */
export function verifierByIssuer(verifiers: Readonly<Record<string, TokenVerifier>>): TokenVerifier {
  return {
    async verify(token) {
      let iss: unknown;
      try {
        iss = decodeJwt(token).iss;
      } catch (cause) {
        // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
        throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid', { cause });
      }
      const verifier = typeof iss === 'string' && Object.hasOwn(verifiers, iss) ? verifiers[iss] : undefined;
      if (!verifier) throw new CardfleetError('UNAUTHENTICATED', 'the bearer token is not valid');
      return verifier.verify(token);
    },
  };
}
