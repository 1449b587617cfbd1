import { domain } from './error-codes';

/**
 * The web console's OpenID Connect sign-in, raised in the browser only
 * (cloud/console/src/auth/oidc-pkce.ts; docs/console-sign-in.md): 500 if one ever
 * reached the API. A file of the catalogue, registered in error-catalogue.ts.
 */
export const SignInErrors = domain({
  /** The IdP's discovery document could not be read, or names another issuer. */
  OIDC_DISCOVERY_FAILED: 500,
  /** The redirect back carries no sign-in this tab started (state, or issuer, differs). */
  OIDC_STATE_MISMATCH: 500,
  /** The IdP answered the authorization request with an error (RFC 6749, 4.1.2.1). */
  OIDC_AUTHORIZATION_FAILED: 500,
  /** The token endpoint refused the code (wrong verifier, expired or used code). */
  OIDC_TOKEN_FAILED: 500,
  /** The IdP's answer holds no JWT access token for the API's audience. */
  OIDC_NO_API_TOKEN: 500,
});
