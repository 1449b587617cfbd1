import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiTokenOf,
  beginSignIn,
  completeSignIn,
  discover,
  exchangeCode,
  type Fetch,
  PENDING_SIGN_IN_KEY,
  type ProviderMetadata,
  randomVerifier,
  readCallback,
  type SignInStorage,
  s256Challenge,
} from './oidc-pkce';

/**
 * The console's authorization code flow with PKCE (docs/console-sign-in.md), with the
 * provider's answers as fixtures; test/cloud/oidc-sign-in.test.ts runs it against a real
 * OpenID provider.
 */
const ISSUER = 'https://idp.example';
const metadata: ProviderMetadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
};
const config = {
  issuer: ISSUER,
  clientId: 'console',
  scopes: ['openid', 'email'],
  audience: 'cardfleet-api',
  resource: 'urn:cardfleet:api',
};
const REDIRECT = 'http://127.0.0.1:8787/console/';

function memoryStorage(): SignInStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const jwt = (claims: Record<string, unknown>) =>
  `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

const answering =
  (status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}): Fetch =>
  async (url, init) => {
    seen.url = url;
    if (init) seen.init = init;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };

async function started(storage = memoryStorage()) {
  const url = new URL(await beginSignIn(metadata, config, REDIRECT, storage));
  return { url, storage, state: url.searchParams.get('state') as string };
}

describe('PKCE (RFC 7636)', () => {
  it('makes verifiers of 43 unreserved characters, different each time', () => {
    const verifiers = new Set(Array.from({ length: 20 }, randomVerifier));
    expect(verifiers.size).toBe(20);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    await expect(s256Challenge('short')).rejects.toThrow(RangeError);
  });
});

describe('the authorization request', () => {
  it('asks for a code with the S256 challenge of the stored verifier, state, nonce and resource', async () => {
    const { url, storage } = await started();
    const pending = JSON.parse(storage.items.get(PENDING_SIGN_IN_KEY) as string);
    expect(`${url.origin}${url.pathname}`).toBe(metadata.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console',
      redirect_uri: REDIRECT,
      scope: 'openid email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: 'urn:cardfleet:api',
    });
    expect(url.searchParams.toString()).not.toContain(pending.verifier);
  });
});

describe('the redirect back', () => {
  it('gives the code with the stored verifier, once', async () => {
    const { storage, state } = await started();
    const verifier = JSON.parse(storage.items.get(PENDING_SIGN_IN_KEY) as string).verifier;
    expect(readCallback(`${REDIRECT}?code=c1&state=${state}&iss=${ISSUER}`, metadata, storage)).toEqual({
      code: 'c1',
      verifier,
      redirectUri: REDIRECT,
    });
    expect(() => readCallback(`${REDIRECT}?code=c1&state=${state}`, metadata, storage)).toThrow(
      expect.objectContaining({ code: 'OIDC_STATE_MISMATCH' }),
    );
  });

  it('stops a code injected with another state, without state, or from another issuer (RFC 9207)', async () => {
    for (const query of ['code=c1&state=forged', 'code=c1']) {
      const { storage } = await started();
      expect(() => readCallback(`${REDIRECT}?${query}`, metadata, storage)).toThrow(
        expect.objectContaining({ code: 'OIDC_STATE_MISMATCH' }),
      );
    }
    const { storage, state } = await started();
    expect(() =>
      readCallback(`${REDIRECT}?code=c1&state=${state}&iss=https://evil.example`, metadata, storage),
    ).toThrow(expect.objectContaining({ code: 'OIDC_STATE_MISMATCH' }));
    expect(() => readCallback(`${REDIRECT}?code=c1&state=x`, metadata, memoryStorage())).toThrow(
      expect.objectContaining({ code: 'OIDC_STATE_MISMATCH' }),
    );
  });

  it('turns the provider’s error answer into a typed error', async () => {
    const { storage, state } = await started();
    expect(() => readCallback(`${REDIRECT}?error=access_denied&state=${state}`, metadata, storage)).toThrow(
      expect.objectContaining({ code: 'OIDC_AUTHORIZATION_FAILED', details: { error: 'access_denied' } }),
    );
  });
});

describe('the token request and the token for the API', () => {
  const grant = { code: 'c1', verifier: randomVerifier(), redirectUri: REDIRECT };

  it('posts the code with its verifier and no secret, and takes a JWT access token for the API', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const access = jwt({ aud: 'cardfleet-api', exp: 1_800_000_000 });
    const tokens = await exchangeCode(
      metadata,
      config,
      grant,
      answering(200, { access_token: access, token_type: 'Bearer', id_token: jwt({ aud: 'console' }) }, seen),
    );
    expect(seen.url).toBe(metadata.token_endpoint);
    expect(Object.fromEntries(new URLSearchParams(seen.init?.body as string))).toEqual({
      grant_type: 'authorization_code',
      code: 'c1',
      redirect_uri: REDIRECT,
      client_id: 'console',
      code_verifier: grant.verifier,
      resource: 'urn:cardfleet:api',
    });
    expect(apiTokenOf(tokens, 'cardfleet-api')).toEqual({ token: access, expiresAt: 1_800_000_000 });
    const several = jwt({ aud: ['x', 'cardfleet-api'] });
    expect(apiTokenOf({ ...tokens, access_token: several }, 'cardfleet-api').token).toBe(several);
  });

  it('never sends an opaque access token, one for another audience, or the ID token', () => {
    for (const access_token of ['opaque-token', jwt({ aud: 'console' }), jwt({}), 'a.b.c'])
      expect(() =>
        apiTokenOf(
          { access_token, token_type: 'Bearer', id_token: jwt({ aud: 'cardfleet-api' }) },
          'cardfleet-api',
        ),
      ).toThrow(expect.objectContaining({ code: 'OIDC_NO_API_TOKEN' }));
  });

  it('reports a refused code (a wrong verifier) as OIDC_TOKEN_FAILED', async () => {
    await expect(
      exchangeCode(metadata, config, grant, answering(400, { error: 'invalid_grant' })),
    ).rejects.toMatchObject({ code: 'OIDC_TOKEN_FAILED', details: { status: 400, error: 'invalid_grant' } });
  });

  it('completes a sign-in from the redirect to the API token', async () => {
    const { storage, state } = await started();
    const access = jwt({ aud: 'cardfleet-api' });
    expect(
      await completeSignIn(
        `${REDIRECT}?code=c1&state=${state}`,
        metadata,
        config,
        storage,
        answering(200, { access_token: access, token_type: 'Bearer' }),
      ),
    ).toEqual({ token: access });
  });
});

describe('discovery', () => {
  it('reads the endpoints of the configured issuer only', async () => {
    const seen: { url?: string } = {};
    expect(await discover(ISSUER, answering(200, metadata, seen))).toEqual(metadata);
    expect(seen.url).toBe(`${ISSUER}/.well-known/openid-configuration`);
    for (const fetchFn of [
      answering(200, { ...metadata, issuer: 'https://evil.example' }),
      answering(200, { ...metadata, token_endpoint: 'javascript:alert(1)' }),
      answering(500, {}),
    ])
      await expect(discover(ISSUER, fetchFn)).rejects.toMatchObject({ code: 'OIDC_DISCOVERY_FAILED' });
  });
});
