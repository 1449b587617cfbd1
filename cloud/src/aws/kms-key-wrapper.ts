import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CardfleetError } from '@cardfleet/shared';
import type { KeyWrapper } from '../crypto/envelope-encryption';

/** Envelope encryption's key wrapper on AWS KMS (a SYMMETRIC_DEFAULT key). */
export function kmsKeyWrapper(kms: KMSClient, keyId: string): KeyWrapper {
  return {
    keyId,
    async wrap(dataKey) {
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: dataKey }));
      if (!CiphertextBlob) throw new CardfleetError('KMS_ENCRYPT_FAILED', 'KMS returned no ciphertext');
      return CiphertextBlob;
    },
    async unwrap(wrapped) {
      const { Plaintext } = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped }));
      if (!Plaintext) throw new CardfleetError('KMS_DECRYPT_FAILED', 'KMS returned no plaintext');
      return Plaintext;
    },
  };
}
