import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CardfleetError } from '@cardfleet/shared';

/**
 * Envelope encryption of secrets at rest: each value gets a fresh 256-bit data key
 * (AES-256-GCM); the data key is wrapped by a KeyWrapper — AWS KMS in production, a
 * local key file in development. Only the wrapped key is stored with the data.
 */
export interface KeyWrapper {
  readonly keyId: string;
  wrap(dataKey: Uint8Array): Promise<Uint8Array>;
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
  /**
   * A data key to seal with, and its wrapped form: when present, sealing uses it instead
   * of a fresh key per value (caching-key-wrapper.ts reuses one for a while).
   */
  dataKey?(): Promise<DataKey>;
}

/** A plain data key (the caller may zero it) and the same key wrapped. */
export interface DataKey {
  key: Uint8Array;
  wrapped: Uint8Array;
}

/** Development key wrapper: AES-256-GCM under a 32-byte master key kept in a local file. */
export function localKeyWrapper(masterKey: Uint8Array, keyId = 'local'): KeyWrapper {
  if (masterKey.length !== 32)
    throw new CardfleetError('KEY_INVALID', 'the local master key must be 32 bytes');
  return {
    keyId,
    async wrap(dataKey) {
      return seal(masterKey, dataKey);
    },
    async unwrap(wrapped) {
      return open(masterKey, wrapped);
    },
  };
}

export interface Sealed {
  keyId: string;
  /** base64 of the wrapped data key */
  wrappedKey: string;
  /** base64 of iv ‖ tag ‖ ciphertext */
  data: string;
}

export async function encryptAtRest(wrapper: KeyWrapper, plaintext: Uint8Array): Promise<Sealed> {
  const { key: dataKey, wrapped: wrappedKey } = wrapper.dataKey
    ? await wrapper.dataKey()
    : await freshDataKey(wrapper);
  const sealed = seal(dataKey, plaintext);
  dataKey.fill(0);
  return {
    keyId: wrapper.keyId,
    wrappedKey: Buffer.from(wrappedKey).toString('base64'),
    data: Buffer.from(sealed).toString('base64'),
  };
}

async function freshDataKey(wrapper: KeyWrapper): Promise<DataKey> {
  const key = new Uint8Array(randomBytes(32));
  return { key, wrapped: await wrapper.wrap(key) };
}

export async function decryptAtRest(wrapper: KeyWrapper, sealed: Sealed): Promise<Uint8Array> {
  if (sealed.keyId !== wrapper.keyId)
    throw new CardfleetError('KEY_UNKNOWN', `data was sealed with key ${sealed.keyId}`);
  const dataKey = await wrapper.unwrap(Buffer.from(sealed.wrappedKey, 'base64'));
  return open(dataKey, Buffer.from(sealed.data, 'base64'));
}

function seal(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]));
  } catch (cause) {
    // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
    throw new CardfleetError('DECRYPTION_FAILED', 'sealed data does not open with this key', { cause });
  }
}
