import type { ConsoleConfig } from './console-config';
import type { KeyValueStore, Session } from './session';

/**
 * OpenID Connect sign-in (authorization code with PKCE, RFC 7636): the start redirects to
 * the provider; back at /console/?code=…&state=…, the code becomes a token. The protocol
 * steps live in auth/oidc-pkce.ts.
 */
export async function startSignIn(
  _oidc: NonNullable<ConsoleConfig['oidc']>,
  _storage: KeyValueStore,
): Promise<void> {
  throw new Error('OpenID sign-in is not wired yet');
}

/** The callback: a session when this page load is the provider's redirect back, else undefined. */
export async function completeSignIn(_storage: KeyValueStore): Promise<Session | undefined> {
  return undefined;
}
