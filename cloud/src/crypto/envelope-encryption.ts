import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CardfleetError } from '@cardfleet/shared';

/**
 * Envelope encryption of secrets at rest: each value is sealed with AES-256-GCM under a
 * 256-bit data key (fresh, or one the caching wrapper reuses for a while); the data key is
 * wrapped by a KeyWrapper — AWS KMS in production, a local key file in development. Only
 * the wrapped key is stored with the data.
 *
 * Each value is bound to where it is stored — its item's key and its attribute — as
 * AES-GCM additional authenticated data (NIST SP 800-38D §7): someone who can write the
 * table but not use the key cannot move a sealed value to another item or field, because
 * it then fails to open (docs/security.md, "Someone with write access to the table").
 * The binding costs nothing at read time: it is checked under the data key already
 * unwrapped, not by a KMS encryption context (one KMS call per value).
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

/** Where a sealed value is stored: the item's primary key and the attribute that holds it. */
export interface SealBinding {
  item: { PK: string; SK: string };
  field: string;
}

/** The sealed format that carries the binding; values without `v` were sealed before it. */
export const SEALED_FORMAT = 2;

export interface Sealed {
  /**
   * 2: bound to its item and field. Absent: sealed before binding (local data of earlier
   * versions), opened without it; every value sealed now is bound, and a bound value with
   * `v` removed does not open (its tag covers the binding).
   */
  v?: typeof SEALED_FORMAT;
  keyId: string;
  /** base64 of the wrapped data key */
  wrappedKey: string;
  /** base64 of iv ‖ tag ‖ ciphertext */
  data: string;
}

export async function encryptAtRest(
  wrapper: KeyWrapper,
  plaintext: Uint8Array,
  binding: SealBinding,
): Promise<Sealed> {
  const { key: dataKey, wrapped: wrappedKey } = wrapper.dataKey
    ? await wrapper.dataKey()
    : await freshDataKey(wrapper);
  const sealed = seal(dataKey, plaintext, boundTo(binding));
  dataKey.fill(0);
  return {
    v: SEALED_FORMAT,
    keyId: wrapper.keyId,
    wrappedKey: Buffer.from(wrappedKey).toString('base64'),
    data: Buffer.from(sealed).toString('base64'),
  };
}

async function freshDataKey(wrapper: KeyWrapper): Promise<DataKey> {
  const key = new Uint8Array(randomBytes(32));
  return { key, wrapped: await wrapper.wrap(key) };
}

/** The value sealed for `binding`: DECRYPTION_FAILED when it was sealed for another item or field. */
export async function decryptAtRest(
  wrapper: KeyWrapper,
  sealed: Sealed,
  binding: SealBinding,
): Promise<Uint8Array> {
  if (sealed.keyId !== wrapper.keyId)
    throw new CardfleetError('KEY_UNKNOWN', `data was sealed with key ${sealed.keyId}`);
  if (sealed.v !== undefined && sealed.v !== SEALED_FORMAT)
    throw new CardfleetError('DECRYPTION_FAILED', `sealed data of an unknown format (${String(sealed.v)})`);
  const dataKey = await wrapper.unwrap(Buffer.from(sealed.wrappedKey, 'base64'));
  try {
    return open(dataKey, Buffer.from(sealed.data, 'base64'), sealed.v ? boundTo(binding) : undefined);
  } catch (cause) {
    // Keys and attribute names are no secret; the value is never part of the message.
    throw new CardfleetError(
      'DECRYPTION_FAILED',
      `sealed data does not open as ${binding.field} of ${binding.item.PK} ${binding.item.SK}`,
      { cause },
    );
  }
}

/** The additional authenticated data of a bound value: unambiguous JSON of format, key and field. */
function boundTo(binding: SealBinding): Buffer {
  return Buffer.from(
    JSON.stringify(['cardfleet-sealed', SEALED_FORMAT, binding.item.PK, binding.item.SK, binding.field]),
  );
}

function seal(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
  try {
    // A full 16-byte tag only: Node would take a shorter one cut from truncated data.
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(12, 28));
    if (aad) decipher.setAAD(aad);
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]));
  } catch (cause) {
    // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
    throw new CardfleetError('DECRYPTION_FAILED', 'sealed data does not open with this key', { cause });
  }
}
