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
    async wrap(dataKey) {
      const { CiphertextBlob } = await kms
        .send(new EncryptCommand({ KeyId: keyId, Plaintext: dataKey }))
        .catch((cause: unknown) => {
          throw new CardfleetError('KMS_ENCRYPT_FAILED', 'KMS did not encrypt', { cause });
        });
      if (!CiphertextBlob) throw new CardfleetError('KMS_ENCRYPT_FAILED', 'KMS returned no ciphertext');
      return CiphertextBlob;
    },
    async unwrap(wrapped) {
      const { Plaintext } = await kms
        .send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped }))
        .catch((cause: unknown) => {
          throw new CardfleetError('KMS_DECRYPT_FAILED', 'KMS did not decrypt', { cause });
        });
      if (!Plaintext) throw new CardfleetError('KMS_DECRYPT_FAILED', 'KMS returned no plaintext');
      return Plaintext;
    },
  };
}
