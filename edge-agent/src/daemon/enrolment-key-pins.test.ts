import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KeySet, localJwsSigner, signKeySet } from '@cardfleet/shared';
import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { enrolAgent } from './agent-identity';
import { updatePinnedKeys } from './key-set-update';

// docs/security.md, "A network attacker": the first key-set update after enrolment is
// checked against rollback like every later one, because enrolment pins `issuedAt` too.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function cloudKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    signer: localJwsSigner(kid, privateKey),
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' },
  };
}

/** An API that enrols anyone and serves `served.keySet` as its signed key set. */
function fakeApi(served: { jwks: object; keySet: string }): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    if (url.includes('/enrol')) return Response.json({ id: 'agent-1', state: 'ACTIVE' });
    if (url.includes('/.well-known/jwks.json')) return Response.json(served.jwks);
    if (url.includes('/.well-known/cardfleet-keyset.jws')) return new Response(served.keySet);
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
}

describe('keys pinned at enrolment', () => {
  it('carry the issuedAt of the signed key set, so an older captured set is refused as the first update', async () => {
    const k1 = await cloudKey('k1');
    const stolen = await cloudKey('k0');
    // A set the cloud signed long ago, still listing a key since retired (and leaked).
    const old = await signKeySet(
      { keys: [k1.jwk, stolen.jwk] as KeySet['keys'], issuedAt: '2026-01-01T00:00:00.000Z' },
      k1.signer,
    );
    const current = await signKeySet(
      { keys: [k1.jwk] as KeySet['keys'], issuedAt: '2026-12-01T00:00:00.000Z' },
      k1.signer,
    );
    const served = { jwks: { keys: [k1.jwk] }, keySet: current };
    const stateDirectory = mkdtempSync(join(tmpdir(), 'cardfleet-pins-'));
    dirs.push(stateDirectory);
    const identity = await enrolAgent({
      apiUrl: 'http://api.test',
      code: 'c0de',
      stateDirectory,
      fetch: fakeApi(served),
    });
    const pinned = JSON.parse(readFileSync(join(stateDirectory, 'pinned-keys.json'), 'utf8'));
    expect(pinned.issuedAt).toBe('2026-12-01T00:00:00.000Z');

    served.keySet = old;
    await expect(updatePinnedKeys(stateDirectory, identity, fakeApi(served))).rejects.toMatchObject({
      code: 'KEYSET_ROLLBACK',
    });
    expect([...identity.keys.keys()]).toEqual(['k1']);

    // The same set again (the cloud signs each key list once) is no change, not a rollback.
    served.keySet = current;
    expect(await updatePinnedKeys(stateDirectory, identity, fakeApi(served))).toMatchObject({
      added: [],
      removed: [],
    });
  });
});
