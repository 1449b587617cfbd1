import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cachingKeyWrapper } from './caching-key-wrapper';
import {
  decryptAtRest,
  encryptAtRest,
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
