import { type ClaimMappingInput, parseClaimMapping } from './claim-mapping';
import { API_AUDIENCE, LOCAL_ISSUER, type LocalIssuer, type TokenVerifier } from './identity';
import type { ConsoleClientSettings } from './idp-settings';
import { verifierByIssuer } from './issuer-verifier';
import { jwksVerifier } from './jwks-verifier';

/** An OpenID provider the local cloud trusts besides its own issuer (docs/console-sign-in.md). */
export interface LocalIdp {
  issuer: string;
  jwksUrl: string;
  /** The `aud` its tokens for the API carry (default `cardfleet-api`). */
  audience?: string;
  /** How its claims name role and office (claim-mapping.ts; default `role`/`office`). */
  mapping?: ClaimMappingInput;
  /** The console's public client; without it the console offers no OIDC sign-in. */
  clientId?: string;
  scopes?: string[];
  resource?: string;
}

/** Tokens of the local issuer and of the IdP, each verified by its own issuer's verifier. */
export function localIdpVerifier(idp: LocalIdp, local: LocalIssuer): TokenVerifier {
  if (idp.issuer === LOCAL_ISSUER) throw new RangeError('the IdP needs an issuer of its own');
  const mapping = parseClaimMapping(idp.mapping ?? {});
  return verifierByIssuer({
    [LOCAL_ISSUER]: local,
    [idp.issuer]: jwksVerifier(idp.jwksUrl, idp.issuer, idp.audience ?? API_AUDIENCE, undefined, mapping),
  });
}

/** The IdP as the console's sign-in document takes it (console-config.ts). */
export function localIdpSettings(idp: LocalIdp): {
  issuer: string;
  audience: string;
  console?: ConsoleClientSettings;
} {
  return {
    issuer: idp.issuer,
    audience: idp.audience ?? API_AUDIENCE,
    ...(idp.clientId
      ? {
          console: {
            clientId: idp.clientId,
            scopes: idp.scopes ?? ['openid'],
            ...(idp.resource ? { resource: idp.resource } : {}),
          },
        }
      : {}),
  };
}
