import { CompactEncrypt, type CryptoKey, compactDecrypt, type JWK, type KeyObject } from 'jose';
import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Job secrets travel as a compact JWE (RFC 7516) with ECDH-ES key agreement
 * (RFC 7518 §4.6) and A256GCM, encrypted to the target agent's public key: only that
 * agent can read them, and a stolen envelope reveals nothing.
 */
const SecretValuesSchema = z.record(z.string(), z.string());

export async function encryptSecrets(
  values: Record<string, string>,
  recipient: CryptoKey | KeyObject | JWK,
): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(values)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM' })
    .encrypt(recipient);
}

export async function decryptSecrets(
  jwe: string,
  privateKey: CryptoKey | KeyObject | JWK,
): Promise<Record<string, string>> {
  try {
    const { plaintext } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return SecretValuesSchema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
  } catch (cause) {
    // Never include the plaintext or the JWE in the message.
    throw new CardfleetError(
      'SECRETS_UNREADABLE',
      'the job secrets cannot be decrypted with this agent key',
      { cause },
    );
  }
}
