import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cachingKeyWrapper } from './caching-key-wrapper';
import {
  decryptAtRest,
  encryptAtRest,
  type KeyWrapper,
  localKeyWrapper,
  type SealBinding,
  type Sealed,
} from './envelope-encryption';

const wrapper = localKeyWrapper(new Uint8Array(32).fill(3));
const JOB_A: SealBinding = { item: { PK: 'JOB#a', SK: 'JOB' }, field: 'secrets' };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const SECRET = 'PUK 12345678';

/** A value as versions before the binding sealed it: no `v`, no additional authenticated data. */
async function sealedWithoutBinding(plaintext: string): Promise<Sealed> {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    keyId: wrapper.keyId,
    wrappedKey: Buffer.from(await wrapper.wrap(key)).toString('base64'),
    data: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
  };
}

describe('sealed values bound to their item and field (AES-GCM additional authenticated data)', () => {
  it('opens a value where it was sealed, under a cached data key too', async () => {
    const cached = cachingKeyWrapper(wrapper);
    const sealed = await encryptAtRest(cached, new TextEncoder().encode(SECRET), JOB_A);
    expect(sealed.v).toBe(2);
    expect(text(await decryptAtRest(cached, sealed, JOB_A))).toBe(SECRET);
  });

  it('refuses a value moved to another item, another field, or with its format version removed', async () => {
    const sealed = await encryptAtRest(wrapper, new TextEncoder().encode(SECRET), JOB_A);
    const elsewhere: [Sealed, SealBinding][] = [
      [sealed, { item: { PK: 'JOB#b', SK: 'JOB' }, field: 'secrets' }],
      [sealed, { item: { PK: 'JOB#a', SK: 'META' }, field: 'secrets' }],
      [sealed, { ...JOB_A, field: 'sealed' }],
      [{ keyId: sealed.keyId, wrappedKey: sealed.wrappedKey, data: sealed.data }, JOB_A],
    ];
    for (const [value, binding] of elsewhere) {
      const opening = decryptAtRest(wrapper, value, binding);
      await expect(opening).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
      await expect(opening).rejects.not.toThrow(SECRET);
    }
  });

  it('refuses an unknown format', async () => {
    const sealed = await encryptAtRest(wrapper, new TextEncoder().encode(SECRET), JOB_A);
    await expect(decryptAtRest(wrapper, { ...sealed, v: 3 as 2 }, JOB_A)).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
  });

  it('refuses a value cut short, whose tag is then a prefix of the real one', async () => {
    // An empty value's data is iv ‖ tag: keeping 4 tag bytes leaves a short tag that
    // matches, which GCM would take without a fixed tag length.
    const sealed = await encryptAtRest(wrapper, new Uint8Array(), JOB_A);
    const cut = Buffer.from(sealed.data, 'base64').subarray(0, 16).toString('base64');
    await expect(decryptAtRest(wrapper, { ...sealed, data: cut }, JOB_A)).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
  });

  it('still opens a value sealed before the binding (local data of earlier versions)', async () => {
    const old = await sealedWithoutBinding(SECRET);
    expect(text(await decryptAtRest(wrapper, old, JOB_A))).toBe(SECRET);
  });
});

/**
 * Attacks on secrets at rest (AES-256-GCM under a wrapped data key, docs/security.md),
 * each failing when the check that stops it is removed (docs/mutation-testing.md).
 */
const master = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const pin = new TextEncoder().encode('PIN=123456');

describe('envelope encryption at rest', () => {
  it('round-trips and stores neither the plaintext nor the data key in the clear', async () => {
    const wrapper = localKeyWrapper(master, 'k-2026');
    const sealed = await encryptAtRest(wrapper, pin, JOB_A);
    expect(sealed.keyId).toBe('k-2026');
    expect(Buffer.from(sealed.data, 'base64').includes(Buffer.from(pin))).toBe(false);
    // iv (12) ‖ tag (16) ‖ ciphertext; the wrapped key is a sealed 32-byte key.
    expect(Buffer.from(sealed.data, 'base64')).toHaveLength(12 + 16 + pin.length);
    expect(Buffer.from(sealed.wrappedKey, 'base64')).toHaveLength(12 + 16 + 32);
    expect(await decryptAtRest(wrapper, sealed, JOB_A)).toEqual(pin);
    expect(localKeyWrapper(master).keyId).toBe('local');
  });

  it('seals each value under a fresh data key and a fresh iv', async () => {
    const wrapper = localKeyWrapper(master);
    const a = await encryptAtRest(wrapper, pin, JOB_A);
    const b = await encryptAtRest(wrapper, pin, JOB_A);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.data).not.toBe(b.data);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => localKeyWrapper(new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    expect(() => localKeyWrapper(new Uint8Array(33))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });

  it('refuses data sealed under another key id before unwrapping anything', async () => {
    const sealed = await encryptAtRest(localKeyWrapper(master, 'old'), pin, JOB_A);
    await expect(decryptAtRest(localKeyWrapper(master, 'new'), sealed, JOB_A)).rejects.toMatchObject({
      code: 'KEY_UNKNOWN',
    });
  });

  it('refuses a changed ciphertext, tag or iv, and another master key', async () => {
    const wrapper = localKeyWrapper(master);
    const sealed = await encryptAtRest(wrapper, pin, JOB_A);
    const bytes = Buffer.from(sealed.data, 'base64');
    for (const index of [0, 11, 12, 27, 28, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[index] = (changed[index] ?? 0) ^ 1;
      await expect(
        decryptAtRest(wrapper, { ...sealed, data: changed.toString('base64') }, JOB_A),
      ).rejects.toMatchObject({
        code: 'DECRYPTION_FAILED',
      });
    }
    const other = localKeyWrapper(Uint8Array.from({ length: 32 }, () => 7));
    await expect(decryptAtRest(other, sealed, JOB_A)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('seals with the wrapper’s own data key when it offers one, and zeroes the plain key after use', async () => {
    const base = localKeyWrapper(master);
    const key = Uint8Array.from({ length: 32 }, () => 9);
    const copy = Uint8Array.from(key);
    const wrapped = await base.wrap(copy);
    const caching: KeyWrapper = { ...base, dataKey: async () => ({ key, wrapped }) };
    const sealed = await encryptAtRest(caching, pin, JOB_A);
    expect(Buffer.from(sealed.wrappedKey, 'base64')).toEqual(Buffer.from(wrapped));
    expect(key.every((byte) => byte === 0)).toBe(true);
    expect(await decryptAtRest(base, sealed, JOB_A)).toEqual(pin);
  });
});
