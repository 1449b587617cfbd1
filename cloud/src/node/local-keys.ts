import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/**
 * Development keys, generated on first start and kept in a local directory (mode
 * 0600): the ES256 job-signing key, the token issuer's key and the 32-byte master key
 * of envelope encryption. In AWS these are KMS keys and the organisation's IdP.
 */
export interface LocalKeys {
  signing: { kid: string; privateKey: CryptoKey; publicKey: CryptoKey };
  issuer: { privateKey: CryptoKey; publicKey: CryptoKey };
  masterKey: Uint8Array;
}

export async function loadOrCreateLocalKeys(directory: string): Promise<LocalKeys> {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const pair = async (name: string) => {
    const path = join(directory, `${name}.jwk.json`);
    if (!existsSync(path)) {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      writeFileSync(path, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
    }
    const jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    const { d: _d, ...publicJwk } = jwk;
    return {
      privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey,
      publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
      kid: `local-${(jwk.x ?? '').slice(0, 8)}`,
    };
  };
  const masterPath = join(directory, 'master.key');
  if (!existsSync(masterPath)) writeFileSync(masterPath, randomBytes(32).toString('hex'), { mode: 0o600 });
  const signing = await pair('signing');
  const issuer = await pair('issuer');
  return {
    signing,
    issuer: { privateKey: issuer.privateKey, publicKey: issuer.publicKey },
    masterKey: new Uint8Array(Buffer.from(readFileSync(masterPath, 'utf8').trim(), 'hex')),
  };
}
