import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  leafHash as cloudLeafHash,
  rootOfFrontier as cloudRootOfFrontier,
  consistencyProof,
  frontierOf,
  inclusionPath,
  rootOf,
} from '../../../src/audit/merkle';
import { fromHex, leafHash, rootOfFrontier, toHex, verifyConsistency, verifyInclusion } from './merkle-check';

/**
 * The browser's RFC 6962 checks against the cloud's tree (cloud/src/audit/merkle.ts, which
 * replays the RFC's reference vectors): every proof the cloud makes verifies here, and the
 * same proof for another position, size or root does not.
 */
const leaves = (n: number) => Array.from({ length: n }, (_, i) => cloudLeafHash(`entry ${i}`));
const bytes = (b: Buffer) => new Uint8Array(b);

describe('Merkle checks in the browser (RFC 9162 §2.1.3.2, §2.1.4.2)', () => {
  it('hashes leaves and folds right edges as the cloud does', async () => {
    expect(toHex(await leafHash(new TextEncoder().encode('entry 3')))).toBe(
      cloudLeafHash('entry 3').toString('hex'),
    );
    expect(toHex(await rootOfFrontier([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    for (const n of [1, 2, 3, 7, 8, 13]) {
      const frontier = frontierOf(leaves(n));
      const nodes = frontier.map((f) => fromHex(f.hash) as Uint8Array);
      expect(toHex(await rootOfFrontier(nodes))).toBe(cloudRootOfFrontier(frontier).toString('hex'));
    }
  });

  it("verifies every inclusion proof the cloud makes, and refuses it for a neighbour's position", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n - 1 }))),
        async ([n, m]) => {
          const tree = leaves(n);
          const root = bytes(rootOf(tree));
          const path = inclusionPath(tree, m).map(bytes);
          const leaf = bytes(tree[m] as Buffer);
          expect(await verifyInclusion(leaf, m, n, path, root)).toBe(true);
          if (n > 1) expect(await verifyInclusion(leaf, (m + 1) % n, n, path, root)).toBe(false);
          if (path.length > 0) expect(await verifyInclusion(leaf, m, n, path.slice(1), root)).toBe(false);
          expect(await verifyInclusion(leaf, m, n, path, bytes(cloudLeafHash('other')))).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses positions outside the tree', async () => {
    const tree = leaves(4);
    const root = bytes(rootOf(tree));
    const leaf = bytes(tree[0] as Buffer);
    expect(await verifyInclusion(leaf, -1, 4, [], root)).toBe(false);
    expect(await verifyInclusion(leaf, 4, 4, [], root)).toBe(false);
    expect(await verifyInclusion(leaf, 0, 1, [], bytes(tree[0] as Buffer))).toBe(true);
  });

  it('verifies every consistency proof the cloud makes, and refuses it for another older tree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        async ([n, m]) => {
          const tree = leaves(n);
          const proof = consistencyProof(tree, m).map(bytes);
          const [older, newer] = [bytes(rootOf(tree.slice(0, m))), bytes(rootOf(tree))];
          expect(await verifyConsistency(m, n, older, newer, proof)).toBe(true);
          const forked = bytes(rootOf([...tree.slice(0, m - 1), cloudLeafHash('forked')]));
          expect(await verifyConsistency(m, n, forked, newer, proof)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
