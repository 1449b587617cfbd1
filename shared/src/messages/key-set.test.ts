import { type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { jsonBytes, localJwsSigner } from './jws-signer';
import { KEY_SET_TYPE, type KeySet, signKeySet, verifyKeySet } from './key-set';

async function key(kid: string) {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { kid, ...pair, jwk: { ...(await exportJWK(pair.publicKey)), kid } };
}
const sign = (payload: unknown, signer: { kid: string; privateKey: CryptoKey }, typ = KEY_SET_TYPE) =>
  localJwsSigner(signer.kid, signer.privateKey).sign(jsonBytes(payload), typ);

describe('signed key-set updates', async () => {
  const k1 = await key('k1');
  const k2 = await key('k2');
  const pinned = new Map([['k1', k1.publicKey]]);

  it('takes a newer set signed by a pinned key', async () => {
    const jws = await sign({ keys: [k1.jwk, k2.jwk], issuedAt: '2026-11-29T10:00:00Z' }, k1);
    const set = await verifyKeySet(jws, pinned, { issuedAt: '2026-11-01T00:00:00Z' });
    expect(set.keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
  });

  it('refuses a set signed by a key that is not pinned, even when the set contains it', async () => {
    const jws = await sign({ keys: [k2.jwk], issuedAt: '2026-11-29T10:00:00Z' }, k2);
    await expect(verifyKeySet(jws, pinned, {})).rejects.toMatchObject({ code: 'KEYSET_UNTRUSTED' });
  });

  it('refuses a forged signature, an older set, a wrong typ and a malformed payload', async () => {
    const good = await sign({ keys: [k1.jwk], issuedAt: '2026-11-29T10:00:00Z' }, k1);
    const [h, p, s] = good.split('.');
    const forged = `${h}.${p}.${s?.startsWith('A') ? `B${s.slice(1)}` : `A${s?.slice(1)}`}`;
    await expect(verifyKeySet(forged, pinned, {})).rejects.toMatchObject({ code: 'KEYSET_UNTRUSTED' });
    await expect(verifyKeySet(good, pinned, { issuedAt: '2026-11-29T10:00:00Z' })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    const wrongTyp = await sign(
      { keys: [k1.jwk], issuedAt: '2026-11-29T10:00:00Z' },
      k1,
      'cardfleet-job+jws',
    );
    await expect(verifyKeySet(wrongTyp, pinned, {})).rejects.toMatchObject({ code: 'KEYSET_INVALID' });
    const noKeys = await sign({ keys: [], issuedAt: '2026-11-29T10:00:00Z' }, k1);
    await expect(verifyKeySet(noKeys, pinned, {})).rejects.toMatchObject({ code: 'KEYSET_INVALID' });
    await expect(verifyKeySet('not a jws', pinned, {})).rejects.toMatchObject({ code: 'KEYSET_INVALID' });
  });

  it('carries the wire version, takes the previous version and refuses a newer one', async () => {
    const set = { keys: [k1.jwk], issuedAt: '2026-11-29T10:00:00Z' } as KeySet;
    const signer = localJwsSigner('k1', k1.privateKey);
    const current = await signKeySet(set, signer);
    expect(JSON.parse(Buffer.from(current.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({
      v: 3,
    });
    expect(await verifyKeySet(current, pinned, {})).toEqual(set);
    expect(await verifyKeySet(await signKeySet(set, signer, 1), pinned, {})).toEqual(set);
    await expect(verifyKeySet(await sign({ ...set, v: 4 }, k1), pinned, {})).rejects.toMatchObject({
      code: 'KEYSET_UNSUPPORTED_VERSION',
    });
  });
});
