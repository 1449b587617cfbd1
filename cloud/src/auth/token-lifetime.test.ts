import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE, LOCAL_ISSUER, localIssuer } from './identity';

const NOW = 1_796_000_000;

async function issuerWithKeys() {
  const keys = await generateKeyPair('ES256', { extractable: true });
  const issuer = await localIssuer(keys, () => NOW);
  const mint = (claims: { iat?: number; exp?: number }) => {
    const jwt = new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(API_AUDIENCE);
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
    return jwt.sign(keys.privateKey);
  };
  return { issuer, mint };
}

describe('bearer token lifetime', () => {
  it('refuses a token without exp', async () => {
    const { issuer, mint } = await issuerWithKeys();
    await expect(issuer.verify(await mint({ iat: NOW }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(issuer.verify(await mint({}))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token that lives longer than 12 hours, by exp - iat or by exp - now', async () => {
    const { issuer, mint } = await issuerWithKeys();
    await expect(issuer.verify(await mint({ iat: NOW - 3600, exp: NOW + 12 * 3600 }))).rejects.toMatchObject({
      code: 'TOKEN_LIFETIME',
    });
    await expect(issuer.verify(await mint({ exp: NOW + 30 * 24 * 3600 }))).rejects.toMatchObject({
      code: 'TOKEN_LIFETIME',
    });
    expect(await issuer.verify(await mint({ iat: NOW, exp: NOW + 12 * 3600 }))).toMatchObject({
      role: 'admin',
    });
  });

  it('has the local issuer issue tokens within the maximum lifetime', async () => {
    const { issuer } = await issuerWithKeys();
    const token = await issuer.issue({ sub: 'alice', role: 'admin' }, 365 * 24 * 3600);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(12 * 3600);
  });
});
