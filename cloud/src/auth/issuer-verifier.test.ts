import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { TokenVerifier } from './identity';
import { verifierByIssuer } from './issuer-verifier';

/** The local issuer and an IdP side by side: `iss` chooses, the chosen verifier decides. */
const named = (name: string): TokenVerifier => ({
  verify: async () => ({ sub: name, role: 'admin' }),
});
const refusing: TokenVerifier = {
  verify: async () => {
    throw Object.assign(new Error('refused'), { code: 'UNAUTHENTICATED' });
  },
};
const token = (iss?: string) => {
  const jwt = new UnsecuredJWT({ role: 'admin' });
  if (iss) jwt.setIssuer(iss);
  return jwt.encode();
};

describe('a verifier chosen by issuer', () => {
  const verifier = verifierByIssuer({
    'cardfleet-local': named('local'),
    'https://idp.example': named('idp'),
  });

  it('hands each token to the verifier of its issuer', async () => {
    expect((await verifier.verify(token('cardfleet-local'))).sub).toBe('local');
    expect((await verifier.verify(token('https://idp.example'))).sub).toBe('idp');
  });

  it('refuses an unknown, a missing or a prototype issuer, and what is no JWT', async () => {
    for (const t of [token('https://evil.example'), token(), token('constructor'), 'not-a-jwt'])
      await expect(verifier.verify(t)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('leaves the decision to the chosen verifier', async () => {
    const signed = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.example')
      .sign(new Uint8Array(32));
    await expect(verifierByIssuer({ 'https://idp.example': refusing }).verify(signed)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
