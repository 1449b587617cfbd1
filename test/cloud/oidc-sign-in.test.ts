import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiTokenOf,
  beginSignIn,
  completeSignIn,
  discover,
  exchangeCode,
  type ProviderMetadata,
  readCallback,
  type SignInStorage,
} from '../../cloud/console/src/auth/oidc-pkce';
import { jwksVerifier } from '../../cloud/src/auth/jwks-verifier';
import { startLocalCloud } from '../../cloud/src/node/start-local-cloud';
import {
  API_RESOURCE,
  authorizeByHand,
  startOidcProvider,
  type TestOidcProvider,
} from '../support/oidc-provider';

/**
 * Sign-in at an OpenID provider (docs/console-sign-in.md): the authorization code flow
 * with PKCE against a local `oidc-provider`, driven as the console's browser would, the
 * IdP's groups mapped to cardfleet roles, and the API deciding with the access token.
 */
const OTHER_API = { indicator: 'urn:other:api', audience: 'other-api' };
const mapping = {
  roleClaim: 'groups',
  roles: { 'cardfleet-admins': 'admin', 'cardfleet-operators': 'operator' },
  officeClaim: 'office',
} as const;

let idp: TestOidcProvider;
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
let metadata: ProviderMetadata;
let redirectUri: string;
const config = () => ({
  issuer: idp.issuer,
  clientId: idp.clientId,
  scopes: ['openid'],
  audience: 'cardfleet-api',
  resource: API_RESOURCE.indicator,
});

function memoryStorage(): SignInStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** The IdP's answer to a sign-in of `login`, up to the callback URL, with the pending sign-in stored. */
async function signIn(login: string, resource = API_RESOURCE.indicator) {
  const storage = memoryStorage();
  const url = await beginSignIn(metadata, { ...config(), resource }, redirectUri, storage);
  return { callback: await authorizeByHand(url, login), storage };
}

async function apiTokenFor(login: string): Promise<string> {
  const { callback, storage } = await signIn(login);
  return (await completeSignIn(callback, metadata, config(), storage)).token;
}

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${cloud.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });

beforeAll(async () => {
  // The console's address is the redirect URI; the cloud's port is only known once it
  // listens, so the provider is told a fixed loopback URI the test never opens.
  redirectUri = 'http://127.0.0.1:9/console/';
  idp = await startOidcProvider({
    redirectUris: [redirectUri],
    resources: [API_RESOURCE, OTHER_API],
    accounts: [
      { sub: 'ada', claims: { groups: ['staff', 'cardfleet-admins'] } },
      { sub: 'otto', claims: { groups: ['cardfleet-operators'], office: 'berlin' } },
      { sub: 'nobody', claims: { groups: ['staff'], role: 'admin' } },
      { sub: 'bot', claims: { groups: ['agent'], role: 'agent', office: 'berlin' } },
    ],
  });
  cloud = await startLocalCloud({
    dataDir: mkdtempSync(join(tmpdir(), 'cardfleet-oidc-')),
    port: 0,
    idp: {
      issuer: idp.issuer,
      jwksUrl: idp.jwksUrl,
      mapping,
      clientId: idp.clientId,
      resource: API_RESOURCE.indicator,
    },
  });
  metadata = await discover(idp.issuer);
});

afterAll(async () => {
  await cloud?.close();
  await idp?.stop();
});

describe('sign-in at an OpenID provider with PKCE', () => {
  it('tells the console how to sign in', () => {
    expect(cloud.signIn).toEqual({
      oidc: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        scopes: ['openid'],
        audience: 'cardfleet-api',
        resource: API_RESOURCE.indicator,
      },
      localLinks: true,
    });
  });

  it('gives an admin of the IdP’s admin group a JWT access token for the API, which the API takes as admin', async () => {
    const token = await apiTokenFor('ada');
    expect(decodeJwt(token)).toMatchObject({ iss: idp.issuer, aud: 'cardfleet-api', sub: 'ada' });
    for (const [id, office] of [
      ['agent-berlin', 'berlin'],
      ['agent-paris', 'paris'],
    ])
      expect(
        (await api('/v1/agents', token, { method: 'POST', body: JSON.stringify({ id, office }) })).status,
      ).toBe(201);
  });

  it('keeps an operator of the IdP to the office its token names', async () => {
    const token = await apiTokenFor('otto');
    const listed = await api('/v1/agents', token);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([
      'agent-berlin',
    ]);
    const added = await api('/v1/agents', token, {
      method: 'POST',
      body: JSON.stringify({ id: 'agent-x', office: 'berlin' }),
    });
    expect(added.status).toBe(403);
  });

  it('still takes tokens of the local issuer beside the IdP’s', async () => {
    const local = await cloud.issuer.issue({ sub: 'alice', role: 'auditor' });
    expect((await api('/v1/agents', local)).status).toBe(200);
  });

  it('refuses a token the IdP issued for another audience', async () => {
    const { callback, storage } = await signIn('ada', OTHER_API.indicator);
    const tokens = await exchangeCode(
      metadata,
      { ...config(), resource: OTHER_API.indicator },
      readCallback(callback, metadata, storage),
    );
    expect(decodeJwt(tokens.access_token).aud).toBe('other-api');
    // The console would not send it …
    expect(() => apiTokenOf(tokens, 'cardfleet-api')).toThrow(
      expect.objectContaining({ code: 'OIDC_NO_API_TOKEN' }),
    );
    // … and the API refuses it when sent anyway; so it does the ID token (aud = the client).
    expect((await api('/v1/agents', tokens.access_token)).status).toBe(401);
    expect((await api('/v1/agents', tokens.id_token ?? '')).status).toBe(401);
  });

  it('refuses a token whose groups map to no role, even with a role claim of its own', async () => {
    const { callback, storage } = await signIn('nobody');
    const tokens = await exchangeCode(metadata, config(), readCallback(callback, metadata, storage));
    expect(decodeJwt(tokens.access_token)).toMatchObject({ role: 'admin', groups: ['staff'] });
    const refused = await api('/v1/agents', tokens.access_token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('never lets the IdP make anyone an agent', async () => {
    const token = await apiTokenFor('bot');
    expect(decodeJwt(token)).toMatchObject({ role: 'agent', office: 'berlin' });
    expect((await api('/v1/agents', token)).status).toBe(401);
    // Not even with the default mapping, which reads the `role` claim as it is.
    await expect(jwksVerifier(idp.jwksUrl, idp.issuer, 'cardfleet-api').verify(token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses the code to anyone without its verifier', async () => {
    const { callback, storage } = await signIn('ada');
    const grant = readCallback(callback, metadata, storage);
    await expect(
      exchangeCode(metadata, config(), { ...grant, verifier: `${grant.verifier.slice(0, -1)}x` }),
    ).rejects.toMatchObject({ code: 'OIDC_TOKEN_FAILED', details: { status: 400, error: 'invalid_grant' } });
  });

  it('lets the console’s origin make the token request from the browser (CORS)', async () => {
    const preflight = await fetch(metadata.token_endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: new URL(redirectUri).origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(new URL(redirectUri).origin);
    const foreign = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'x',
        client_id: idp.clientId,
      }).toString(),
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
