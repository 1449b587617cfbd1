import type { ConsoleOidc } from '@cardfleet/shared';
// The error type by its own file: the shared package's index also holds Node-only modules.
import { CardfleetError } from '../../../../shared/src/errors/cardfleet-error';

/**
 * The console's sign-in at an OpenID Connect provider: the authorization code flow of a
 * public client with PKCE (RFC 6749 section 4.1, RFC 7636, OpenID Connect Core 1.0
 * section 3.1; docs/console-sign-in.md). WebCrypto and fetch only, so it runs in the
 * browser and, for its tests, in Node. The token the console then sends to the API is
 * the access token, and only when it is a JWT whose `aud` names the API — never the ID
 * token, which is meant for the console, not for the API (OpenID Connect Core 1.0,
 * section 2: its `aud` is the client id).
 */

/** What the console keeps across the redirect: sessionStorage in the browser. */
export interface SignInStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The endpoints of the provider's discovery document (OpenID Connect Discovery 1.0, 3). */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  id_token?: string;
}

/** A sign-in in flight: written before the redirect, read (once) when the IdP sends the browser back. */
interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

export const PENDING_SIGN_IN_KEY = 'cardfleet.console.oidc';

/** Reads the discovery document; its `issuer` must be the configured one (Discovery 1.0, 4.3). */
export async function discover(issuer: string, fetchFn: Fetch = fetch): Promise<ProviderMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let metadata: Partial<ProviderMetadata>;
  try {
    const response = await fetchFn(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    metadata = (await response.json()) as Partial<ProviderMetadata>;
  } catch (cause) {
    throw new CardfleetError('OIDC_DISCOVERY_FAILED', 'the identity provider could not be reached', {
      cause,
    });
  }
  if (
    metadata.issuer !== issuer ||
    !isHttpUrl(metadata.authorization_endpoint) ||
    !isHttpUrl(metadata.token_endpoint)
  )
    throw new CardfleetError('OIDC_DISCOVERY_FAILED', 'the discovery document is not this issuer’s');
  return metadata as ProviderMetadata;
}

/** 32 random bytes, base64url: 43 characters of the RFC 7636 (4.1) alphabet. */
export function randomVerifier(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))` (RFC 7636, 4.2). */
export async function s256Challenge(verifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier))
    throw new RangeError('a code verifier is 43 to 128 unreserved characters (RFC 7636, 4.1)');
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** The authorization request (RFC 6749 4.1.1, RFC 7636 4.3, RFC 8707 2.1). */
export function authorizationUrl(
  metadata: ProviderMetadata,
  config: ConsoleOidc,
  request: { redirectUri: string; state: string; nonce: string; challenge: string },
): string {
  const url = new URL(metadata.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: request.redirectUri,
    scope: config.scopes.join(' '),
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
    ...(config.resource ? { resource: config.resource } : {}),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Starts a sign-in: keeps verifier, state and nonce in `storage`, answers where to send the browser. */
export async function beginSignIn(
  metadata: ProviderMetadata,
  config: ConsoleOidc,
  redirectUri: string,
  storage: SignInStorage,
): Promise<string> {
  const pending: PendingSignIn = {
    state: randomVerifier(),
    nonce: randomVerifier(),
    verifier: randomVerifier(),
    redirectUri,
  };
  storage.setItem(PENDING_SIGN_IN_KEY, JSON.stringify(pending));
  return authorizationUrl(metadata, config, { ...pending, challenge: await s256Challenge(pending.verifier) });
}

/**
 * The redirect back (RFC 6749 4.1.2): the pending sign-in is taken out of storage (one
 * use), the `state` must be this tab's (RFC 6749 10.12, cross-site request forgery),
 * an `iss` parameter must name the issuer (RFC 9207), an `error` is the IdP's refusal.
 */
export function readCallback(
  callbackUrl: string,
  metadata: ProviderMetadata,
  storage: SignInStorage,
): { code: string; verifier: string; redirectUri: string } {
  const params = new URL(callbackUrl).searchParams;
  const stored = storage.getItem(PENDING_SIGN_IN_KEY);
  storage.removeItem(PENDING_SIGN_IN_KEY);
  const pending = parsePending(stored);
  if (!pending || params.get('state') !== pending.state)
    throw new CardfleetError('OIDC_STATE_MISMATCH', 'this sign-in was not started here; start again');
  const iss = params.get('iss');
  if (iss !== null && iss !== metadata.issuer)
    throw new CardfleetError('OIDC_STATE_MISMATCH', 'the answer comes from another identity provider');
  const error = params.get('error');
  if (error !== null)
    throw new CardfleetError('OIDC_AUTHORIZATION_FAILED', 'the identity provider refused the sign-in', {
      details: { error: error.slice(0, 100) },
    });
  const code = params.get('code');
  if (!code) throw new CardfleetError('OIDC_AUTHORIZATION_FAILED', 'the identity provider sent no code');
  return { code, verifier: pending.verifier, redirectUri: pending.redirectUri };
}

/** The token request of a public client: the code with its verifier, no secret (RFC 7636 4.5). */
export async function exchangeCode(
  metadata: ProviderMetadata,
  config: ConsoleOidc,
  grant: { code: string; verifier: string; redirectUri: string },
  fetchFn: Fetch = fetch,
): Promise<TokenResponse> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
    client_id: config.clientId,
    code_verifier: grant.verifier,
    ...(config.resource ? { resource: config.resource } : {}),
  });
  let response: Response;
  try {
    response = await fetchFn(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
  } catch (cause) {
    throw new CardfleetError('OIDC_TOKEN_FAILED', 'the identity provider could not be reached', { cause });
  }
  const answer = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: unknown };
  if (!response.ok || typeof answer.access_token !== 'string')
    throw new CardfleetError('OIDC_TOKEN_FAILED', 'the identity provider refused the code', {
      details: {
        status: response.status,
        ...(typeof answer.error === 'string' ? { error: answer.error } : {}),
      },
    });
  return answer as TokenResponse;
}

/**
 * The bearer token for the API: the access token, if it is a JWT for `audience`. The
 * API verifies it in full; this only keeps the console from sending a token the API
 * would refuse anyway (an opaque one, or one for another audience) — or the ID token.
 */
export function apiTokenOf(tokens: TokenResponse, audience: string): { token: string; expiresAt?: number } {
  const claims = unverifiedClaims(tokens.access_token);
  const aud = claims?.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!claims || !audiences.includes(audience))
    throw new CardfleetError('OIDC_NO_API_TOKEN', 'the identity provider issued no access token for the API');
  return {
    token: tokens.access_token,
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
  };
}

/** The whole way back from the IdP: callback, exchange, the token for the API. */
export async function completeSignIn(
  callbackUrl: string,
  metadata: ProviderMetadata,
  config: ConsoleOidc,
  storage: SignInStorage,
  fetchFn: Fetch = fetch,
): Promise<{ token: string; expiresAt?: number }> {
  const grant = readCallback(callbackUrl, metadata, storage);
  return apiTokenOf(await exchangeCode(metadata, config, grant, fetchFn), config.audience);
}

function unverifiedClaims(jwt: string): { aud?: unknown; exp?: unknown } | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = new TextDecoder().decode(fromBase64url(parts[1]));
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? claims : undefined;
  } catch {
    return undefined;
  }
}

function parsePending(text: string | null): PendingSignIn | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PendingSignIn>;
    const fields = [value.state, value.nonce, value.verifier, value.redirectUri];
    return fields.every((field) => typeof field === 'string' && field.length > 0)
      ? (value as PendingSignIn)
      : undefined;
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['https:', 'http:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
