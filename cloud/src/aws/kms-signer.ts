import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { CardfleetError } from '@cardfleet/shared';
import { exportJWK, importSPKI } from 'jose';
import type { Signer } from '../crypto/signer';
import { derToJose } from './ecdsa-signature';

/**
 * The Signer port on AWS KMS: an ECC_NIST_P256 SIGN_VERIFY key, ES256. The private key
 * never leaves KMS; the public key is read once at start and served to agents.
 */
export async function kmsSigner(kms: KMSClient, keyId: string) {
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!PublicKey) throw new CardfleetError('KMS_NO_PUBLIC_KEY', `KMS key ${keyId} has no public key`);
  const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
  const publicKey = await importSPKI(pem, 'ES256', { extractable: true });
  const kid = keyId.split('/').pop() ?? keyId;
  const signer: Signer & { publicKey: typeof publicKey } = {
    kid,
    publicKey,
    async sign(payload, typ) {
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid, typ })).toString('base64url');
      const input = `${header}.${Buffer.from(payload).toString('base64url')}`;
      // A KMS failure (throttling, an outage) is a dependency failure: the API answers 503.
      const { Signature } = await kms
        .send(
          new SignCommand({
            KeyId: keyId,
            Message: Buffer.from(input),
            MessageType: 'RAW',
            SigningAlgorithm: 'ECDSA_SHA_256',
          }),
        )
        .catch((cause: unknown) => {
          throw new CardfleetError('KMS_SIGN_FAILED', 'KMS did not sign', { cause });
        });
      if (!Signature) throw new CardfleetError('KMS_SIGN_FAILED', 'KMS returned no signature');
      return `${input}.${Buffer.from(derToJose(Signature)).toString('base64url')}`;
    },
    publicJwk: async () => ({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }),
  };
  return signer;
}
