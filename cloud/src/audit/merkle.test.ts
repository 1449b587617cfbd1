import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  extendFrontier,
  frontierOf,
  inclusionPath,
  leafHash,
  rootOf,
  rootOfFrontier,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

// The RFC 6962 reference leaves and tree heads (as used by the Certificate Transparency
// implementations' test suites): tree heads of sizes 1..8, two inclusion proofs, one
// consistency proof.
const DATA = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const LEAVES = DATA.map((d) => leafHash(d));
const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));
const unhex = (hashes: string[]) => hashes.map((h) => Buffer.from(h, 'hex'));

describe('Merkle tree (RFC 6962 §2.1)', () => {
  it('gives the reference tree heads for every size, and SHA-256 of nothing for the empty tree', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    for (let n = 1; n <= 8; n++) expect(rootOf(LEAVES.slice(0, n)).toString('hex')).toBe(ROOTS[n - 1]);
  });

  it('gives the reference inclusion proofs and the reference consistency proof', () => {
    expect(hex(inclusionPath(LEAVES, 0))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hex(inclusionPath(LEAVES, 5))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hex(consistencyProof(LEAVES, 2)).slice(0, 2)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  const many = Array.from({ length: 37 }, (_, i) => leafHash(`entry ${i}`));

  it('verifies every inclusion proof in every tree size, and refuses a wrong leaf, index or root', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      const root = rootOf(tree);
      for (let i = 0; i < n; i++) {
        const path = inclusionPath(tree, i);
        expect(verifyInclusion(tree[i] as Buffer, i, n, path, root)).toBe(true);
        expect(verifyInclusion(leafHash('forged'), i, n, path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(tree[i] as Buffer, (i + 1) % n, n, path, root)).toBe(false);
        expect(verifyInclusion(tree[i] as Buffer, i, n, path, EMPTY_ROOT)).toBe(false);
      }
    }
  });

  it('verifies every consistency proof between every pair of sizes, and refuses a rewritten history', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(tree, m);
        const [root1, root2] = [rootOf(tree.slice(0, m)), rootOf(tree)];
        expect(verifyConsistency(m, n, root1, root2, proof), `${m} → ${n}`).toBe(true);
        const rewritten = rootOf([leafHash('rewritten'), ...tree.slice(1, m)]);
        expect(verifyConsistency(m, n, rewritten, root2, proof)).toBe(false);
        if (m < n)
          expect(verifyConsistency(m, n, root1, rootOf([...tree.slice(0, -1), leafHash('x')]), proof)).toBe(
            false,
          );
      }
    }
  });

  it('extends a stored right edge with new leaves to the same head as the whole tree', () => {
    for (let m = 0; m <= 20; m++) {
      const frontier = extendFrontier(frontierOf(many.slice(0, m)), many.slice(m, 37));
      expect(rootOfFrontier(frontier)).toEqual(rootOf(many));
    }
    expect(unhex(frontierOf(LEAVES).map((f) => f.hash))).toEqual([rootOf(LEAVES)]);
  });
});
