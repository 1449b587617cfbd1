import { beginSignIn, discover, completeSignIn as finishAtProvider } from './auth/oidc-pkce';
import type { ConsoleConfig } from './console-config';
import { type KeyValueStore, type Session, saveSession } from './session';

/**
 * OpenID Connect sign-in (authorization code with PKCE, RFC 7636; docs/console.md,
 * "Sign-in with an OpenID provider"): the start sends the browser to the provider; back at
 * /console/?code=…&state=…, the code becomes the API's access token. The protocol steps
 * live in auth/oidc-pkce.ts.
 */
const redirectUri = () => `${window.location.origin}/console/`;

export async function startSignIn(
  oidc: NonNullable<ConsoleConfig['oidc']>,
  storage: KeyValueStore,
): Promise<void> {
  const metadata = await discover(oidc.issuer);
  window.location.assign(await beginSignIn(metadata, oidc, redirectUri(), storage));
}

/** The callback: a session when this page load is the provider's redirect back, else undefined. */
export async function completeSignIn(
  config: ConsoleConfig | undefined,
  storage: KeyValueStore,
): Promise<Session | undefined> {
  const params = new URLSearchParams(window.location.search);
  if (!config?.oidc || (!params.has('code') && !params.has('error'))) return undefined;
  const callback = window.location.href;
  // The code is single-use and means nothing once exchanged: out of the address bar either way.
  window.history.replaceState(null, '', window.location.pathname);
  const metadata = await discover(config.oidc.issuer);
  const { token } = await finishAtProvider(callback, metadata, config.oidc, storage);
  const session: Session = { token, via: 'oidc' };
  saveSession(storage, session);
  return session;
}
