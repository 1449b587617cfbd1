import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CardfleetError } from '@cardfleet/shared';
import type { KeyWrapper } from '../crypto/envelope-encryption';

/**
 * Envelope encryption's key wrapper on AWS KMS (a SYMMETRIC_DEFAULT key). A KMS call that
 * fails is a dependency failure (KMS_*_FAILED, answered 503 by the API).
 */
export function kmsKeyWrapper(kms: KMSClient, keyId: string): KeyWrapper {
  return {
    keyId,
    wrap: async (dataKey) =>
      kmsBytes(
        kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: dataKey })).then((out) => out.CiphertextBlob),
        { code: 'KMS_ENCRYPT_FAILED', verb: 'encrypt', output: 'ciphertext' },
      ),
    unwrap: async (wrapped) =>
      kmsBytes(
        kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped })).then((out) => out.Plaintext),
        { code: 'KMS_DECRYPT_FAILED', verb: 'decrypt', output: 'plaintext' },
      ),
  };
}

/** The bytes a KMS call answers with; a failed call or an answer without them is `failure.code`. */
async function kmsBytes(
  call: Promise<Uint8Array | undefined>,
  failure: { code: 'KMS_ENCRYPT_FAILED' | 'KMS_DECRYPT_FAILED'; verb: string; output: string },
): Promise<Uint8Array> {
  const bytes = await call.catch((cause: unknown) => {
    throw new CardfleetError(failure.code, `KMS did not ${failure.verb}`, { cause });
  });
  if (!bytes) throw new CardfleetError(failure.code, `KMS returned no ${failure.output}`);
  return bytes;
}
