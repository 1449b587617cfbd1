import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { parseClaimMapping } from './claim-mapping';
import { jwksVerifier } from './jwks-verifier';

/**
 * Attacks on tokens from a real identity provider (its JWKS, issuer and audience;
 * docs/security.md), each failing when the check that stops it is removed
 * (docs/mutation-testing.md).
 */
const NOW = 1_796_000_000;
const idp = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(idp.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;

const mint = (
  claims: Record<string, unknown>,
  options: { iss?: string; aud?: string; exp?: number; iat?: number } = {},
) => {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setSubject('otto')
    .setIssuer(options.iss ?? 'https://idp.example')
    .setAudience(options.aud ?? 'cardfleet-api')
    .setIssuedAt(options.iat ?? NOW);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? NOW + 3600);
  return jwt.sign(idp.privateKey);
};

describe('tokens from an identity provider', () => {
  const verifier = (now = NOW) => jwksVerifier(url, 'https://idp.example', 'cardfleet-api', () => now);

  it('takes a token signed by a published key, for this API, from the expected issuer', async () => {
    expect(await verifier().verify(await mint({ role: 'operator', office: 'berlin' }))).toEqual({
      sub: 'otto',
      role: 'operator',
      office: 'berlin',
    });
  });

  it('refuses another issuer, another audience and an expired token', async () => {
    await expect(
      verifier().verify(await mint({ role: 'admin' }, { iss: 'https://evil.example' })),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(
      verifier().verify(await mint({ role: 'admin' }, { aud: 'other-api' })),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(verifier(NOW + 3601).verify(await mint({ role: 'admin' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a token the provider issued for longer than the maximum lifetime', async () => {
    await expect(
      verifier().verify(await mint({ role: 'admin' }, { exp: NOW + 13 * 3600 })),
    ).rejects.toMatchObject({
      code: 'TOKEN_LIFETIME',
    });
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const stranger = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
      .setSubject('otto')
      .setIssuer('https://idp.example')
      .setAudience('cardfleet-api')
      .setExpirationTime(NOW + 600)
      .sign(stranger.privateKey);
    await expect(verifier().verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a valid token whose claims are no identity', async () => {
    await expect(verifier().verify(await mint({ role: 'operator' }))).rejects.toMatchObject({
      code: 'OFFICE_REQUIRED',
    });
  });

  it('refuses a token without exp as unauthenticated, and checks real tokens by the real clock by default', async () => {
    const noExp = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
      .setSubject('otto')
      .setIssuer('https://idp.example')
      .setAudience('cardfleet-api')
      .sign(idp.privateKey);
    await expect(verifier().verify(noExp)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const now = Math.floor(Date.now() / 1000);
    const live = await mint({ role: 'admin' }, { iat: now, exp: now + 600 });
    expect(await jwksVerifier(url, 'https://idp.example', 'cardfleet-api').verify(live)).toEqual({
      sub: 'otto',
      role: 'admin',
    });
  });
});

describe('tokens from an identity provider, through a claim mapping', () => {
  const mapping = parseClaimMapping({
    roleClaim: 'groups',
    roles: { 'cardfleet-admins': 'admin', 'cardfleet-operators': 'operator' },
  });
  const verifier = () => jwksVerifier(url, 'https://idp.example', 'cardfleet-api', () => NOW, mapping);

  it('maps the groups of a verified token to a role and its office', async () => {
    expect(
      await verifier().verify(await mint({ groups: ['cardfleet-operators'], office: 'berlin' })),
    ).toEqual({
      sub: 'otto',
      role: 'operator',
      office: 'berlin',
    });
  });

  it('refuses a role claim the mapping does not read, and the agent role by default', async () => {
    await expect(verifier().verify(await mint({ role: 'admin' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(
      jwksVerifier(url, 'https://idp.example', 'cardfleet-api', () => NOW).verify(
        await mint({ role: 'agent', office: 'berlin' }),
      ),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
