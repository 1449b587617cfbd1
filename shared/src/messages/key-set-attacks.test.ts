import { CompactSign, type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { jsonBytes, localJwsSigner } from './jws-signer';
import { KEY_SET_TYPE, MAX_KEY_SET_BYTES, verifyKeySet } from './key-set';

/**
 * Attacks on the agent's key-set update (shared/src/messages/key-set.ts; docs/edge-agent.md:
 * an agent trusts only keys it pinned), each failing when its check is removed
 * (docs/mutation-testing.md).
 */
async function key(kid: string) {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { kid, ...pair, jwk: { ...(await exportJWK(pair.publicKey)), kid } };
}
const sign = (payload: unknown, signer: { kid: string; privateKey: CryptoKey }, typ = KEY_SET_TYPE) =>
  localJwsSigner(signer.kid, signer.privateKey).sign(jsonBytes(payload), typ);
const ISSUED = '2026-11-29T10:00:00Z';

describe('key-set update attacks', async () => {
  const k1 = await key('k1');
  const k2 = await key('k2');
  const pinned = new Map([['k1', k1.publicKey]]);

  it('refuses a set signed with another algorithm, even by a pinned kid', async () => {
    const es384 = await generateKeyPair('ES384');
    const jws = await new CompactSign(jsonBytes({ keys: [k1.jwk], issuedAt: ISSUED }))
      .setProtectedHeader({ alg: 'ES384', kid: 'k1', typ: KEY_SET_TYPE })
      .sign(es384.privateKey);
    await expect(verifyKeySet(jws, new Map([['k1', es384.publicKey]]), {})).rejects.toMatchObject({
      code: 'KEYSET_INVALID',
    });
  });

  it('refuses a set with another typ (a job envelope signed by the same key)', async () => {
    const jws = await sign({ keys: [k1.jwk], issuedAt: ISSUED }, k1, 'cardfleet-job+jws');
    await expect(verifyKeySet(jws, pinned, {})).rejects.toThrow(/must be ES256 with typ/);
  });

  it('refuses a set signed by an unpinned kid, or by no kid, before checking any signature', async () => {
    const byK2 = await sign({ keys: [k1.jwk, k2.jwk], issuedAt: ISSUED }, k2);
    await expect(verifyKeySet(byK2, pinned, {})).rejects.toThrow(/"k2", which this agent has not pinned/);
    const noKid = await new CompactSign(jsonBytes({ keys: [k1.jwk], issuedAt: ISSUED }))
      .setProtectedHeader({ alg: 'ES256', typ: KEY_SET_TYPE })
      .sign(k1.privateKey);
    await expect(verifyKeySet(noKid, pinned, {})).rejects.toThrow(/"\?", which this agent has not pinned/);
  });

  it('refuses a pinned kid whose signature is not by the pinned key', async () => {
    const impostor = await sign(
      { keys: [k2.jwk], issuedAt: ISSUED },
      { kid: 'k1', privateKey: k2.privateKey },
    );
    await expect(verifyKeySet(impostor, pinned, {})).rejects.toThrow(/signature does not verify/);
  });

  it('refuses a set one byte over the size limit before decoding it, and takes one at the limit', async () => {
    // Grow an ignored field (and the kid: base64url skips some lengths) until the compact
    // JWS is exactly at the limit.
    const sized = async (pad: number, kid: string) => ({
      kid,
      jws: await sign(
        { keys: [k1.jwk], issuedAt: ISSUED, pad: 'x'.repeat(pad) },
        { kid, privateKey: k1.privateKey },
      ),
    });
    let exact = await sized(0, 'k1');
    let pad = Math.floor(((MAX_KEY_SET_BYTES - exact.jws.length) * 3) / 4) - 4;
    search: for (; pad < MAX_KEY_SET_BYTES; pad += 1)
      for (const kid of ['k1', 'k1x', 'k1xy']) {
        exact = await sized(pad, kid);
        if (exact.jws.length === MAX_KEY_SET_BYTES) break search;
      }
    const atLimit = new Map([[exact.kid, k1.publicKey]]);
    expect(exact.jws.length).toBe(MAX_KEY_SET_BYTES);
    expect((await verifyKeySet(exact.jws, atLimit, {})).keys).toHaveLength(1);
    await expect(verifyKeySet(`${exact.jws}x`, atLimit, {})).rejects.toThrow(/exceeds 16384 bytes/);
    await expect(verifyKeySet('é'.repeat(MAX_KEY_SET_BYTES / 2 + 1), pinned, {})).rejects.toThrow(/exceeds/);
  });

  it('refuses a payload that is not JSON, or a set of other key types or too many keys', async () => {
    const notJson = await localJwsSigner('k1', k1.privateKey).sign(
      new TextEncoder().encode('{"keys":'),
      KEY_SET_TYPE,
    );
    await expect(verifyKeySet(notJson, pinned, {})).rejects.toThrow(/not JSON/);
    const rsa = { ...k1.jwk, kty: 'RSA' };
    await expect(verifyKeySet(await sign({ keys: [rsa], issuedAt: ISSUED }, k1), pinned, {})).rejects.toThrow(
      /does not fit its schema/,
    );
    const p384 = { ...k1.jwk, crv: 'P-384' };
    await expect(
      verifyKeySet(await sign({ keys: [p384], issuedAt: ISSUED }, k1), pinned, {}),
    ).rejects.toThrow(/does not fit its schema/);
    const many = Array.from({ length: 17 }, (_, i) => ({ ...k1.jwk, kid: `k${i}` }));
    await expect(verifyKeySet(await sign({ keys: many, issuedAt: ISSUED }, k1), pinned, {})).rejects.toThrow(
      /does not fit its schema/,
    );
    const sixteen = many.slice(0, 16);
    expect(
      (await verifyKeySet(await sign({ keys: sixteen, issuedAt: ISSUED }, k1), pinned, {})).keys,
    ).toHaveLength(16);
    const noTime = await sign({ keys: [k1.jwk], issuedAt: 'yesterday' }, k1);
    await expect(verifyKeySet(noTime, pinned, {})).rejects.toMatchObject({ code: 'KEYSET_INVALID' });
    const emptyKid = await sign({ keys: [{ ...k1.jwk, kid: '' }], issuedAt: ISSUED }, k1);
    await expect(verifyKeySet(emptyKid, pinned, {})).rejects.toMatchObject({ code: 'KEYSET_INVALID' });
  });

  it('refuses a different set older than the pinned one (rollback), and one issued at the same time', async () => {
    const older = await sign({ keys: [k1.jwk, k2.jwk], issuedAt: '2026-11-01T00:00:00Z' }, k1);
    await expect(verifyKeySet(older, pinned, { issuedAt: ISSUED, keys: [k1.jwk] })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    const sameTime = await sign({ keys: [k1.jwk, k2.jwk], issuedAt: ISSUED }, k1);
    await expect(verifyKeySet(sameTime, pinned, { issuedAt: ISSUED, keys: [k1.jwk] })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    const newer = await sign({ keys: [k1.jwk, k2.jwk], issuedAt: '2026-11-29T10:00:01Z' }, k1);
    expect(await verifyKeySet(newer, pinned, { issuedAt: ISSUED, keys: [k1.jwk] })).toEqual({
      keys: [k1.jwk, k2.jwk],
      issuedAt: '2026-11-29T10:00:01Z',
    });
  });

  it('keeps the pinned set and its time when the same keys come again stamped earlier, in any order', async () => {
    const held = [k1.jwk, k2.jwk];
    const again = await sign({ keys: [k2.jwk, k1.jwk], issuedAt: '2026-11-01T00:00:00Z' }, k1);
    expect(await verifyKeySet(again, pinned, { issuedAt: ISSUED, keys: held })).toEqual({
      keys: [k2.jwk, k1.jwk],
      issuedAt: ISSUED,
    });
    // A key that differs only in its coordinates is another set: a rollback.
    const swapped = { ...k2.jwk, x: k1.jwk.x };
    const changed = await sign({ keys: [k1.jwk, swapped], issuedAt: '2026-11-01T00:00:00Z' }, k1);
    await expect(verifyKeySet(changed, pinned, { issuedAt: ISSUED, keys: held })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    const changedY = await sign(
      { keys: [k1.jwk, { ...k2.jwk, y: k1.jwk.y }], issuedAt: '2026-11-01T00:00:00Z' },
      k1,
    );
    await expect(verifyKeySet(changedY, pinned, { issuedAt: ISSUED, keys: held })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    const renamed = await sign(
      { keys: [k1.jwk, { ...k2.jwk, kid: 'k3' }], issuedAt: '2026-11-01T00:00:00Z' },
      k1,
    );
    await expect(verifyKeySet(renamed, pinned, { issuedAt: ISSUED, keys: held })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    // A held list that is not a key list never matches.
    await expect(verifyKeySet(again, pinned, { issuedAt: ISSUED, keys: ['junk'] })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    await expect(verifyKeySet(again, pinned, { issuedAt: ISSUED })).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
  });
});
