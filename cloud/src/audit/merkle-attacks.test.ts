import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyProofFrom,
  EMPTY_ROOT,
  frontierOf,
  frontierSize,
  inclusionPath,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

/**
 * Forged or stretched proofs against the audit log's tree heads (RFC 9162 §2.1.3.2,
 * §2.1.4.2; docs/cloud.md, "Auditor"): each fails when the check that refuses it is
 * removed (docs/mutation-testing.md).
 */
const tree = Array.from({ length: 13 }, (_, i) => leafHash(`entry ${i}`));
const root = rootOf(tree);

describe('inclusion proof attacks', () => {
  it('refuses a leaf index outside the tree, before or past its end', () => {
    const path = inclusionPath(tree, 0);
    expect(verifyInclusion(tree[0] as Buffer, -1, 13, path, root)).toBe(false);
    expect(verifyInclusion(tree[12] as Buffer, 13, 13, inclusionPath(tree, 12), root)).toBe(false);
    expect(verifyInclusion(leafHash('x'), 0, 0, [], EMPTY_ROOT)).toBe(false);
    // A one-leaf tree: the leaf is the head, with an empty path.
    expect(verifyInclusion(tree[0] as Buffer, 0, 1, [], tree[0] as Buffer)).toBe(true);
  });

  it('refuses a path with a node too many or too few, even when it ends at the head', () => {
    for (let i = 0; i < tree.length; i++) {
      const path = inclusionPath(tree, i);
      const leaf = tree[i] as Buffer;
      expect(verifyInclusion(leaf, i, 13, path, root)).toBe(true);
      expect(verifyInclusion(leaf, i, 13, [...path, root], root), `${i} longer`).toBe(false);
      expect(verifyInclusion(leaf, i, 13, path.slice(0, -1), root), `${i} shorter`).toBe(false);
    }
    // A lone leaf claimed to be the head of a larger tree, with no path.
    expect(verifyInclusion(root, 0, 13, [], root)).toBe(false);
  });

  it('refuses to make a path for a leaf that is not in the tree', () => {
    expect(() => inclusionPath(tree, -1)).toThrow(RangeError);
    expect(() => inclusionPath(tree, 13)).toThrow(RangeError);
    expect(inclusionPath(tree, 12)).toHaveLength(2);
  });
});

describe('consistency proof attacks', () => {
  const proofOf = (m: number) => consistencyProof(tree, m);
  const head = (m: number) => rootOf(tree.slice(0, m));

  it('refuses a negative size, or a newer tree smaller than the older', () => {
    expect(verifyConsistency(-1, 13, EMPTY_ROOT, root, [])).toBe(false);
    expect(verifyConsistency(13, 12, root, head(12), [])).toBe(false);
    expect(verifyConsistency(12, 13, head(12), root, proofOf(12))).toBe(true);
  });

  it('takes two equal trees only with an empty proof and the same head', () => {
    expect(verifyConsistency(13, 13, root, root, [])).toBe(true);
    expect(verifyConsistency(13, 13, root, root, [root])).toBe(false);
    expect(verifyConsistency(13, 13, root, head(12), [])).toBe(false);
  });

  it('takes the empty tree as a prefix of every tree, with an empty proof only', () => {
    expect(verifyConsistency(0, 13, EMPTY_ROOT, root, [])).toBe(true);
    expect(verifyConsistency(0, 13, EMPTY_ROOT, root, [root])).toBe(false);
  });

  it('refuses an empty, shortened or lengthened proof between different sizes', () => {
    for (let m = 1; m < 13; m++) {
      const proof = proofOf(m);
      expect(verifyConsistency(m, 13, head(m), root, proof), `${m}`).toBe(true);
      expect(verifyConsistency(m, 13, head(m), root, []), `${m} empty`).toBe(false);
      expect(verifyConsistency(m, 13, head(m), root, proof.slice(0, -1)), `${m} shorter`).toBe(false);
      expect(verifyConsistency(m, 13, head(m), root, [...proof, root]), `${m} longer`).toBe(false);
    }
  });

  it('refuses to make a proof from a tree that is not inside this one', () => {
    expect(() => consistencyProof(tree, -1)).toThrow(RangeError);
    expect(() => consistencyProof(tree, 14)).toThrow(RangeError);
    expect(consistencyProof(tree, 0)).toEqual([]);
    expect(consistencyProof(tree, 13)).toEqual([]);
  });

  it('makes no proof from an empty right edge or without new leaves, and counts the edge', () => {
    expect(consistencyProofFrom([], tree)).toEqual([]);
    expect(consistencyProofFrom(frontierOf(tree), [])).toEqual([]);
    expect(frontierSize(frontierOf(tree))).toBe(13);
    expect(frontierOf(tree).map((node) => node.size)).toEqual([8, 4, 1]);
  });

  it('refuses to prove from a right edge that is not one (a stored frontier changed)', () => {
    const forged = [{ size: 3, hash: head(3).toString('hex') }];
    expect(() => consistencyProofFrom(forged, tree.slice(3, 5))).toThrow(RangeError);
  });
});
