import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { calculateJwkThumbprint } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../../test/support/test-cloud';
import { CHECKPOINT_TYP, type CheckpointBody } from '../../../src/audit/audit-checkpoints';
import { canonicalJson as cloudCanonicalJson, entryLeaf } from '../../../src/audit/audit-entry';
import { memoryWitness } from '../../../src/audit/checkpoint-witness';
import {
  leafHash as cloudLeafHash,
  type FrontierNode,
  frontierOf,
  nodeHash,
  rootOfFrontier,
} from '../../../src/audit/merkle';
import { localSigner } from '../../../src/crypto/signer';
import {
  type CardProofs,
  canonicalJson,
  entryLeafHash,
  type JwkSet,
  type ShownEntry,
  verifyCardHistory,
  verifyCheckpoint,
  verifyExtends,
} from './proof-check';

/**
 * The console's in-browser check of a card's audit history (docs/console-audit.md) against
 * the cloud itself: the audit log in memory, checkpoints and proofs fetched through the
 * app's routes, verified with the browser module only (Node 20's WebCrypto). What the page
 * is shown must verify, and every way of showing something the checkpoint did not sign fails.
 */
let cloud: Awaited<ReturnType<typeof memoryCloud>>;

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
const get = async (path: string): Promise<any> => {
  const response = await cloud.call('GET', path, { token: cloud.tokens.auditor });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const add = (actor: string, cardSerial: string) =>
  cloud.cloud.audit.append({
    at: '2026-12-06T10:00:00.000Z',
    actor,
    action: 'job.result',
    office: 'berlin',
    cardSerial,
  });
const checkpoint = async () =>
  (await cloud.call('POST', '/v1/audit/checkpoint', { token: cloud.tokens.admin })).json();
const jwks = (): Promise<JwkSet> => get('/.well-known/jwks.json');
const prove = (card: string): Promise<CardProofs> => get(`/v1/audit/prove?card=${card}`);
const statuses = (check: Awaited<ReturnType<typeof verifyCardHistory>>) => check.entries.map((e) => e.status);

const createHashHex = (text: string) => createHash('sha256').update(text).digest('hex');
const rootHex = (frontier: FrontierNode[]) => rootOfFrontier(frontier).toString('hex');

/** A history with entries of two cards over two shards, under one checkpoint. */
beforeEach(async () => {
  cloud = await memoryCloud({
    audit: { shards: 2, checkpointEvery: 1000, witness: memoryWitness(), log: () => undefined },
  });
  for (const [actor, card] of [
    ['a', 'SERIAL-7'],
    ['b', 'OTHER'],
    ['c', 'SERIAL-7'],
    ['d', 'SERIAL-7'],
    ['e', 'OTHER'],
  ] as const)
    await add(actor, card);
  await checkpoint();
});

/** The checkpoint's claims signed again, as a forger with `signer` would. */
async function resign(
  jws: string,
  change: (body: CheckpointBody) => CheckpointBody,
  kid = 'k1',
  signer?: Awaited<ReturnType<typeof localSigner>>,
) {
  const payload = JSON.parse(
    Buffer.from(jws.split('.')[1] as string, 'base64url').toString(),
  ) as CheckpointBody;
  const by = signer ?? (kid === cloud.signer.kid ? cloud.signer : await localSigner(kid));
  return by.sign(new TextEncoder().encode(JSON.stringify(change(payload))), CHECKPOINT_TYP);
}

describe('a card history verified in the browser', () => {
  it('verifies every entry of the card found by serial against the signed checkpoint', async () => {
    const proofs = await prove('SERIAL-7');
    const search = await get('/v1/audit?cardSerial=SERIAL-7');
    const check = await verifyCardHistory({ jwks: await jwks(), proofs, shown: search.items });
    expect(check.checkpoint).toMatchObject({
      ok: true,
      claims: {
        index: 1,
        size: 5,
        kid: 'k1',
        keyThumbprint: await calculateJwkThumbprint(await cloud.signer.publicJwk()),
      },
    });
    expect(check.entries).toHaveLength(3);
    for (const entry of check.entries) {
      expect(entry.status).toBe('verified');
      expect(entry.reason).toMatch(/^included at position \d of checkpoint 1$/);
    }
  });

  it('computes the leaf of an entry exactly as the cloud does', async () => {
    const entries = await cloud.cloud.audit.entries();
    for (const entry of entries)
      expect(Buffer.from(await entryLeafHash(entry)).equals(entryLeaf(entry))).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expect(canonicalJson(value)).toBe(cloudCanonicalJson(value));
        const shown = { shard: 0, seq: 1, hash: '', details: { value } } as ShownEntry;
        expect(Buffer.from(await entryLeafHash(shown)).equals(cloudLeafHash(cloudCanonicalJson(shown)))).toBe(
          true,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('fails an entry whose shown field was changed, with or without its hash recomputed', async () => {
    const proofs = await prove('SERIAL-7');
    const [first, ...rest] = proofs.entries.map((p) => p.entry);
    const changed = { ...(first as ShownEntry), actor: 'mallory' };
    const check = await verifyCardHistory({ jwks: await jwks(), proofs, shown: [changed, ...rest] });
    expect(statuses(check)).toEqual(['failed', 'verified', 'verified']);
    expect(check.entries[0]?.reason).toMatch(/does not match its own hash/);
    const { hash: _hash, mac: _mac, ...content } = changed;
    const rehashed = { ...changed, hash: createHashHex(cloudCanonicalJson(content)) };
    const again = await verifyCardHistory({ jwks: await jwks(), proofs, shown: [rehashed, ...rest] });
    expect(statuses(again)).toEqual(['failed', 'verified', 'verified']);
    expect(again.entries[0]?.reason).toMatch(/inclusion proof does not lead to the root of checkpoint 1/);
  });

  it("fails an entry shown with another entry's position and proof", async () => {
    const proofs = await prove('SERIAL-7');
    const [a, b, ...rest] = proofs.entries;
    if (!a || !b) throw new Error('two proven entries');
    const swapped = { ...proofs, entries: [{ ...a, index: b.index, proof: b.proof }, b, ...rest] };
    const check = await verifyCardHistory({ jwks: await jwks(), proofs: swapped });
    expect(statuses(check)).toEqual(['failed', 'verified', 'verified']);
    expect(check.entries[0]?.reason).toMatch(/not the entry the checkpoint signed at position/);
  });

  it('fails every entry under a checkpoint signed by another key under the published kid', async () => {
    const proofs = await prove('SERIAL-7');
    const forged = {
      ...proofs,
      checkpoint: await resign(proofs.checkpoint, (b) => b, 'k1', await localSigner('k1')),
    };
    const check = await verifyCardHistory({ jwks: await jwks(), proofs: forged });
    expect(check.checkpoint).toEqual({
      ok: false,
      reason: 'the checkpoint signature does not verify with the published key "k1"',
    });
    expect(statuses(check)).toEqual(['failed', 'failed', 'failed']);
  });

  it('fails a checkpoint signed with a kid the published key set does not hold', async () => {
    const proofs = await prove('SERIAL-7');
    const check = await verifyCheckpoint(await jwks(), await resign(proofs.checkpoint, (b) => b, 'k9'));
    expect(check).toEqual({
      ok: false,
      reason: 'the checkpoint is signed with key "k9", which the published key set does not hold',
    });
  });

  it('fails a document the cloud signed for another purpose, passed off as a checkpoint', async () => {
    const proofs = await prove('SERIAL-7');
    const payload = Buffer.from(proofs.checkpoint.split('.')[1] as string, 'base64url');
    const repair = await cloud.signer.sign(new Uint8Array(payload), 'cardfleet-audit-repair+jws');
    expect(await verifyCheckpoint(await jwks(), repair)).toEqual({
      ok: false,
      reason: 'the checkpoint is of type cardfleet-audit-repair+jws, not cardfleet-checkpoint+jws',
    });
    expect(await verifyCheckpoint(await jwks(), 'not.a-jws')).toMatchObject({ ok: false });
  });

  it('fails a checkpoint whose root was changed, kept signature or signed again', async () => {
    const proofs = await prove('SERIAL-7');
    const [header, payload, signature] = proofs.checkpoint.split('.');
    const body = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as CheckpointBody;
    const changedRoot = { ...body, root: 'ab'.repeat(32) };
    const kept = `${header}.${Buffer.from(JSON.stringify(changedRoot)).toString('base64url')}.${signature}`;
    expect(await verifyCheckpoint(await jwks(), kept)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/signature does not verify/),
    });
    // Signed by the cloud's own key, a root its right edge does not fold to is refused.
    expect(
      await verifyCheckpoint(await jwks(), await resign(proofs.checkpoint, () => changedRoot)),
    ).toMatchObject({
      ok: false,
      reason: 'the checkpoint is signed, but its right edge does not fold to the root it signs',
    });
    // A right edge that is not one of perfect subtrees, largest first, even if it folds to the root.
    const [x, y] = [cloudLeafHash('x'), cloudLeafHash('y')];
    const flat = [
      { size: 1, hash: x.toString('hex') },
      { size: 1, hash: y.toString('hex') },
    ];
    const flatRoot = nodeHash(x, y).toString('hex');
    expect(
      await verifyCheckpoint(
        await jwks(),
        await resign(proofs.checkpoint, (b) => ({ ...b, size: 2, frontier: flat, root: flatRoot })),
      ),
    ).toMatchObject({
      ok: false,
      reason: 'the checkpoint is signed, but its right edge is not a list of perfect subtrees',
    });
    // A whole other tree, consistently signed: the entries' proofs no longer reach it.
    const other = frontierOf([
      cloudLeafHash('x'),
      cloudLeafHash('y'),
      cloudLeafHash('z'),
      cloudLeafHash('w'),
      cloudLeafHash('v'),
    ]);
    const otherTree = await resign(proofs.checkpoint, (b) => ({
      ...b,
      frontier: other,
      root: rootHex(other),
    }));
    const check = await verifyCardHistory({
      jwks: await jwks(),
      proofs: { ...proofs, checkpoint: otherTree },
    });
    expect(check.checkpoint.ok).toBe(true);
    expect(statuses(check)).toEqual(['failed', 'failed', 'failed']);
  });

  it('shows an entry appended after the checkpoint as not yet in a checkpoint, not as failed', async () => {
    const late = await add('f', 'SERIAL-7');
    const proofs = await prove('SERIAL-7');
    const search = await get('/v1/audit?cardSerial=SERIAL-7');
    const check = await verifyCardHistory({ jwks: await jwks(), proofs, shown: search.items });
    const lateCheck = check.entries.find((e) => e.shard === late.shard && e.seq === late.seq);
    expect(lateCheck).toEqual({
      shard: late.shard,
      seq: late.seq,
      status: 'pending',
      reason: 'not yet in a checkpoint: appended after the newest one',
    });
    expect(statuses(check).filter((s) => s === 'verified')).toHaveLength(3);
  });

  it('fails an entry shown without proof that the server did not list as pending', async () => {
    const proofs = await prove('SERIAL-7');
    const check = await verifyCardHistory({
      jwks: await jwks(),
      proofs: { ...proofs, entries: proofs.entries.slice(1) },
      shown: proofs.entries.map((p) => p.entry),
    });
    expect(check.entries[0]).toMatchObject({
      status: 'failed',
      reason: 'the server gave no proof for it and did not list it as pending',
    });
  });

  it('fails an entry proven for another card', async () => {
    const proofs = await prove('SERIAL-7');
    const check = await verifyCardHistory({
      jwks: await jwks(),
      proofs: { ...proofs, cardSerial: 'SERIAL-8' },
    });
    expect(check.entries[0]).toMatchObject({
      status: 'failed',
      reason: 'the entry does not name card SERIAL-8',
    });
  });

  it('verifies that a newer checkpoint extends an older one, and fails a rewritten one', async () => {
    await add('g', 'SERIAL-7');
    await add('h', 'OTHER');
    await checkpoint();
    const answer = await get('/v1/audit/consistency?from=1');
    expect(await verifyExtends(await jwks(), answer)).toEqual({ ok: true });
    const other = frontierOf([1, 2, 3, 4, 5, 6, 7].map((n) => cloudLeafHash(String(n))));
    const rewritten = await resign(answer.to, (b) => ({ ...b, frontier: other, root: rootHex(other) }));
    expect(await verifyExtends(await jwks(), { ...answer, to: rewritten })).toEqual({
      ok: false,
      reason: 'checkpoint 2 does not extend checkpoint 1: the log was rewritten',
    });
  });
});
