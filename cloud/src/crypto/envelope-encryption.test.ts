import { describe, expect, it } from 'vitest';
import { decryptAtRest, encryptAtRest, type KeyWrapper, localKeyWrapper } from './envelope-encryption';

/**
 * Attacks on secrets at rest (AES-256-GCM under a wrapped data key, docs/security.md),
 * each failing when the check that stops it is removed (docs/mutation-testing.md).
 */
const master = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const text = new TextEncoder().encode('PIN=123456');

describe('envelope encryption at rest', () => {
  it('round-trips and stores neither the plaintext nor the data key in the clear', async () => {
    const wrapper = localKeyWrapper(master, 'k-2026');
    const sealed = await encryptAtRest(wrapper, text);
    expect(sealed.keyId).toBe('k-2026');
    expect(Buffer.from(sealed.data, 'base64').includes(Buffer.from(text))).toBe(false);
    // iv (12) ‖ tag (16) ‖ ciphertext; the wrapped key is a sealed 32-byte key.
    expect(Buffer.from(sealed.data, 'base64')).toHaveLength(12 + 16 + text.length);
    expect(Buffer.from(sealed.wrappedKey, 'base64')).toHaveLength(12 + 16 + 32);
    expect(await decryptAtRest(wrapper, sealed)).toEqual(text);
    expect(localKeyWrapper(master).keyId).toBe('local');
  });

  it('seals each value under a fresh data key and a fresh iv', async () => {
    const wrapper = localKeyWrapper(master);
    const a = await encryptAtRest(wrapper, text);
    const b = await encryptAtRest(wrapper, text);
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
    const sealed = await encryptAtRest(localKeyWrapper(master, 'old'), text);
    await expect(decryptAtRest(localKeyWrapper(master, 'new'), sealed)).rejects.toMatchObject({
      code: 'KEY_UNKNOWN',
    });
  });

  it('refuses a changed ciphertext, tag or iv, and another master key', async () => {
    const wrapper = localKeyWrapper(master);
    const sealed = await encryptAtRest(wrapper, text);
    const bytes = Buffer.from(sealed.data, 'base64');
    for (const index of [0, 11, 12, 27, 28, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[index] = (changed[index] ?? 0) ^ 1;
      await expect(
        decryptAtRest(wrapper, { ...sealed, data: changed.toString('base64') }),
      ).rejects.toMatchObject({
        code: 'DECRYPTION_FAILED',
      });
    }
    const other = localKeyWrapper(Uint8Array.from({ length: 32 }, () => 7));
    await expect(decryptAtRest(other, sealed)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('seals with the wrapper’s own data key when it offers one, and zeroes the plain key after use', async () => {
    const base = localKeyWrapper(master);
    const key = Uint8Array.from({ length: 32 }, () => 9);
    const copy = Uint8Array.from(key);
    const wrapped = await base.wrap(copy);
    const caching: KeyWrapper = { ...base, dataKey: async () => ({ key, wrapped }) };
    const sealed = await encryptAtRest(caching, text);
    expect(Buffer.from(sealed.wrappedKey, 'base64')).toEqual(Buffer.from(wrapped));
    expect(key.every((byte) => byte === 0)).toBe(true);
    expect(await decryptAtRest(base, sealed)).toEqual(text);
  });
});
