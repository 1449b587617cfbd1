import { localJwsSigner, verifyKeySet } from '@cardfleet/shared';
import { importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import type { Signer } from '../crypto/signer';
import { localSigner } from '../crypto/signer';

// Every anonymous GET of the key set used to call Signer.sign (a KMS call in AWS).
describe('the signed key-set document', () => {
  it('is signed once per key list and wire version, and again when the keys change', async () => {
    const base = await localSigner('k1');
    let signatures = 0;
    const signer: Signer & { publicKey: typeof base.publicKey } = {
      kid: 'k1',
      publicKey: base.publicKey,
      publicJwk: () => base.publicJwk(),
      sign: (payload, typ) => {
        signatures++;
        return localJwsSigner('k1', base.privateKey).sign(payload, typ);
      },
    };
    const next: { kid: string; kty: string; crv: string; x: string; y: string }[] = [];
    const cloud = await memoryCloud({ signer, nextKeys: async () => next });
    const get = async (query = '') => (await cloud.fetch(`/.well-known/cardfleet-keyset.jws${query}`)).text();
    const first = await get('?v=2');
    for (let i = 0; i < 20; i++) expect(await get('?v=2')).toBe(first);
    expect(signatures).toBe(1);
    await get('?v=1');
    await get('?v=1');
    expect(signatures).toBe(2);

    const pinned = new Map([['k1', await importJWK(await base.publicJwk(), 'ES256')]]);
    const before = await verifyKeySet(first, pinned, {});
    next.push({ ...(await (await localSigner('k2')).publicJwk()), kid: 'k2' } as (typeof next)[number]);
    const changed = await get('?v=2');
    expect(signatures).toBe(3);
    const after = await verifyKeySet(changed, pinned, before);
    expect(after.keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    expect(Date.parse(after.issuedAt)).toBeGreaterThan(Date.parse(before.issuedAt));

    // Withdrawing the announced key is a change too: newer again, not a rollback.
    next.pop();
    const withdrawn = await verifyKeySet(await get('?v=2'), pinned, after);
    expect(withdrawn.keys.map((k) => k.kid)).toEqual(['k1']);
    expect(signatures).toBe(4);
  });
});
