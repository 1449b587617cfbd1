import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';

/**
 * A local OpenID provider for tests (`oidc-provider` v9, node_modules/oidc-provider):
 * one public client (no secret, PKCE S256 required — the library's rule for
 * `token_endpoint_auth_method: 'none'`), JWT access tokens signed ES256 for API
 * resources through `features.resourceIndicators` (RFC 8707), carrying the claims the
 * caller gives each account (`extraTokenClaims`).
 *
 * Sign-in is the library's development interaction (`features.devInteractions`): a
 * plain HTML form at `/interaction/<uid>` with a text field `login` and a password
 * field `password` (any password) and a submit button "Sign-in"; the login is the
 * account's `sub`. An unknown login is refused at the token request. Consent is not
 * asked: every account has granted the client its scopes and resources
 * (`loadExistingGrant`). A browser test fills `input[name=login]` and
 * `input[name=password]` and clicks `button[type=submit]`; Node tests use
 * `authorizeByHand` below.
 *
 * CORS: the token and discovery endpoints answer the origins of the client's redirect
 * URIs (the console's origin), as a browser's cross-origin token request needs.
 */
export interface TestAccount {
  sub: string;
  /** Claims the access token carries besides the protocol's (e.g. groups, office). */
  claims: Record<string, unknown>;
}

export interface TestResource {
  /** The RFC 8707 resource indicator the client asks for (an absolute URI). */
  indicator: string;
  /** The access token's `aud`. */
  audience: string;
}

export const CONSOLE_CLIENT_ID = 'cardfleet-console';
/** The API as a resource: tokens for it carry aud `cardfleet-api`. */
export const API_RESOURCE: TestResource = { indicator: 'urn:cardfleet:api', audience: 'cardfleet-api' };

export interface TestOidcProvider {
  issuer: string;
  jwksUrl: string;
  clientId: string;
  stop(): Promise<void>;
}

export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts: TestAccount[];
  /** Default: the API only. Add another to mint tokens for a wrong audience. */
  resources?: TestResource[];
  clientId?: string;
  /** Access token lifetime in seconds (default 600). */
  accessTokenSeconds?: number;
}): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? CONSOLE_CLIENT_ID;
  const resources = options.resources ?? [API_RESOURCE];
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  const origins = new Set(options.redirectUris.map((uri) => new URL(uri).origin));
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signing = await generateKeyPair('ES256', { extractable: true });
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: {
      keys: [
        { ...(await exportJWK(signing.privateKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
        { ...(await exportJWK(rsa.privateKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
      ] as never,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Lifetimes set here keep the library from warning about its defaults.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? resources[0]?.indicator,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          const resource = resources.find((r) => r.indicator === indicator);
          if (!resource) throw new errors.InvalidTarget();
          return {
            scope: 'cardfleet',
            audience: resource.audience,
            accessTokenTTL: options.accessTokenSeconds ?? 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    pkce: { required: () => true },
    clientBasedCORS: (_ctx, origin) => origins.has(origin),
    findAccount: async (_ctx, sub) =>
      accounts.has(sub) ? { accountId: sub, claims: async () => ({ sub }) } : undefined,
    extraTokenClaims: async (_ctx, token) =>
      token.kind === 'AccessToken' && token.accountId ? accounts.get(token.accountId)?.claims : undefined,
    // First-party console: the grant exists already, so no consent screen is shown.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const client = ctx.oidc.client;
      if (!accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope('openid email profile');
      for (const resource of resources) grant.addResourceScope(resource.indicator, 'cardfleet');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  handler = (req, res) => void callback(req, res);
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    clientId,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A browser's part of the authorization code flow, by hand: follows the redirects from
 * the authorization URL, fills the login form with `login` (any password), and answers
 * the URL the provider finally sends the browser back to (the redirect URI with `code`
 * and `state`, or `error`). Cookies are kept per name across the provider's origin.
 */
export async function authorizeByHand(authorizationUrl: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  };
  let url = authorizationUrl;
  const origin = new URL(authorizationUrl).origin;
  for (let hop = 0; hop < 10; hop++) {
    if (new URL(url).origin !== origin) return url;
    const response = await send(url);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`no login form at ${url} (${response.status})`);
    const posted = await send(new URL(action.replace(/&amp;/g, '&'), url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
    });
    const next = posted.headers.get('location');
    if (!next) throw new Error(`the login form answered ${posted.status} without a redirect`);
    url = new URL(next, url).toString();
  }
  throw new Error('too many redirects');
}
