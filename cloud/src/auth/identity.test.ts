import { type CryptoKey, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { allow, assertOffice } from '../http/context';
import { API_AUDIENCE, identityFromClaims, LOCAL_ISSUER, localIssuer } from './identity';

/**
 * Attacks on the API's bearer tokens and role checks (docs/security.md, "An office
 * operator"), each failing when the check that stops it is removed
 * (docs/mutation-testing.md).
 */
const NOW = Math.floor(Date.now() / 1000);

async function issuerWithKeys() {
  const keys = await generateKeyPair('ES256', { extractable: true });
  const issuer = await localIssuer(keys, () => NOW);
  const mint = (
    claims: Record<string, unknown>,
    options: { issuer?: string; audience?: string; key?: CryptoKey; alg?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'ES256' })
      .setSubject('alice')
      .setIssuer(options.issuer ?? LOCAL_ISSUER)
      .setAudience(options.audience ?? API_AUDIENCE)
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 600)
      .sign(options.key ?? keys.privateKey);
  return { issuer, mint };
}

describe('bearer tokens', () => {
  it('takes a token it issued, with its role and office', async () => {
    const { issuer } = await issuerWithKeys();
    const token = await issuer.issue({ sub: 'otto', role: 'operator', office: 'berlin' });
    expect(await issuer.verify(token)).toEqual({ sub: 'otto', role: 'operator', office: 'berlin' });
    expect(await issuer.verify(await issuer.issue({ sub: 'ada', role: 'admin' }))).toEqual({
      sub: 'ada',
      role: 'admin',
    });
  });

  it('never issues a token that outlives the maximum, whatever lifetime is asked', async () => {
    const { issuer } = await issuerWithKeys();
    const token = await issuer.issue({ sub: 'ada', role: 'admin' }, 48 * 3600);
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(exp - iat).toBe(12 * 3600);
    const short = await issuer.issue({ sub: 'ada', role: 'admin' }, 60);
    const claims = JSON.parse(Buffer.from(short.split('.')[1] ?? '', 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims).toMatchObject({ iss: LOCAL_ISSUER, aud: API_AUDIENCE, sub: 'ada' });
  });

  it('refuses a token from another issuer, for another audience, or signed by another key', async () => {
    const { issuer, mint } = await issuerWithKeys();
    expect(await issuer.verify(await mint({ role: 'admin' }))).toEqual({ sub: 'alice', role: 'admin' });
    await expect(issuer.verify(await mint({ role: 'admin' }, { issuer: 'evil' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(
      issuer.verify(await mint({ role: 'admin' }, { audience: 'other-api' })),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const stranger = await generateKeyPair('ES256');
    await expect(
      issuer.verify(await mint({ role: 'admin' }, { key: stranger.privateKey })),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a token with another algorithm, even under the right key material', async () => {
    const keys = await generateKeyPair('ES384', { extractable: true });
    const p256 = await generateKeyPair('ES256', { extractable: true });
    const issuer = await localIssuer(p256, () => NOW);
    const es384 = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES384' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(API_AUDIENCE)
      .setExpirationTime(NOW + 600)
      .sign(keys.privateKey);
    await expect(issuer.verify(es384)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses an expired token by the injected clock', async () => {
    const keys = await generateKeyPair('ES256', { extractable: true });
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(API_AUDIENCE)
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 600)
      .sign(keys.privateKey);
    expect(await (await localIssuer(keys, () => NOW + 599)).verify(token)).toMatchObject({ role: 'admin' });
    await expect((await localIssuer(keys, () => NOW + 601)).verify(token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a token of an unknown role, or with no subject', async () => {
    const { issuer, mint } = await issuerWithKeys();
    await expect(issuer.verify(await mint({ role: 'root' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(issuer.verify(await mint({}))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('identities from token claims', () => {
  it('refuses an operator without an office (403, not 401)', () => {
    expect(() => identityFromClaims({ sub: 'otto', role: 'operator' })).toThrow(
      expect.objectContaining({ code: 'OFFICE_REQUIRED' }),
    );
    expect(() => identityFromClaims({ sub: 'otto', role: 'operator', office: '' })).toThrow(
      expect.objectContaining({ code: 'OFFICE_REQUIRED' }),
    );
  });

  it('refuses claims that are no identity at all as unauthenticated', () => {
    for (const claims of [
      null,
      'operator',
      { role: 'operator' },
      { sub: 7, role: 'operator' },
      { sub: 'otto', role: 'superuser' },
      { sub: '', role: 'admin' },
      { sub: 'ada', role: 'admin', office: '' },
    ])
      expect(() => identityFromClaims(claims), JSON.stringify(claims)).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      );
  });

  it('takes every known role, an office optional except for operators', () => {
    for (const role of ['admin', 'auditor', 'agent'] as const)
      expect(identityFromClaims({ sub: 's', role })).toEqual({ sub: 's', role });
    expect(identityFromClaims({ sub: 's', role: 'agent', office: 'berlin' })).toEqual({
      sub: 's',
      role: 'agent',
      office: 'berlin',
    });
  });
});

describe('role and office checks', () => {
  const operator = { sub: 'otto', role: 'operator', office: 'berlin' } as const;
  const auditor = { sub: 'aud', role: 'auditor' } as const;

  it('lets a role through only when the route names it', () => {
    expect(() => allow(operator, 'admin', 'operator')).not.toThrow();
    expect(() => allow(auditor, 'admin', 'operator')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => allow(auditor, 'admin', 'operator')).toThrow(/the auditor role may not do this/);
    expect(() => allow(operator)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('keeps an operator to their own office and lets admins and auditors see every office', () => {
    expect(() => assertOffice(operator, 'berlin')).not.toThrow();
    expect(() => assertOffice(operator, 'paris')).toThrow(/operators of berlin may not act for paris/);
    expect(() => assertOffice(auditor, 'paris')).not.toThrow();
    expect(() => assertOffice({ sub: 'ada', role: 'admin', office: 'berlin' }, 'paris')).not.toThrow();
  });
});

describe('token lifetime and request bodies', () => {
  it('refuses a token without exp, and takes one exactly at the maximum lifetime plus skew', async () => {
    const { checkTokenLifetime, MAX_TOKEN_SECONDS } = await import('./token-lifetime');
    expect(() => checkTokenLifetime({}, NOW)).toThrow(expect.objectContaining({ code: 'TOKEN_LIFETIME' }));
    expect(() => checkTokenLifetime({ iat: NOW, exp: NOW + MAX_TOKEN_SECONDS + 60 }, NOW)).not.toThrow();
    expect(() => checkTokenLifetime({ iat: NOW, exp: NOW + MAX_TOKEN_SECONDS + 61 }, NOW)).toThrow(
      /longer than 12 hours/,
    );
  });

  it('verifies its own tokens by the real clock when none is injected, and publishes its public key', async () => {
    const issuer = await localIssuer();
    expect(await issuer.verify(await issuer.issue({ sub: 'ada', role: 'admin' }))).toEqual({
      sub: 'ada',
      role: 'admin',
    });
    expect(await issuer.publicJwk()).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(await issuer.publicJwk()).not.toHaveProperty('d');
  });

  it('refuses a request body that is not JSON, keeping the parser error as the cause', async () => {
    const { readJson } = await import('../http/context');
    expect(await readJson(new Request('http://api.test/', { method: 'POST', body: '{"a":1}' }))).toEqual({
      a: 1,
    });
    const refused = readJson(new Request('http://api.test/', { method: 'POST', body: '{"a":' }));
    await expect(refused).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await expect(refused).rejects.toHaveProperty('cause');
  });
});
