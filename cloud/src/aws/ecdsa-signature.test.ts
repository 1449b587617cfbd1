import { generateKeyPairSync, sign } from 'node:crypto';
import { compactVerify, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { derToJose } from './ecdsa-signature';

describe('DER → JOSE ECDSA signatures (what KMS returns → what JWS needs)', () => {
  it('turns OpenSSL DER signatures into ES256 signatures that verify', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 50; i++) {
      const header = Buffer.from(JSON.stringify({ alg: 'ES256' })).toString('base64url');
      const payload = Buffer.from(`payload ${i}`).toString('base64url');
      const der = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
      const jws = `${header}.${payload}.${Buffer.from(derToJose(der)).toString('base64url')}`;
      const verified = await compactVerify(
        jws,
        await exportJWK(publicKey).then((jwk) => ({ ...jwk, alg: 'ES256' })),
        { algorithms: ['ES256'] },
      );
      expect(new TextDecoder().decode(verified.payload)).toBe(`payload ${i}`);
    }
  });

  it('refuses bytes that are not a DER signature', () => {
    expect(() => derToJose(Uint8Array.of(1, 2, 3))).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
  });
});
