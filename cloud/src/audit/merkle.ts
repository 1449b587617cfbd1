import { createHash } from 'node:crypto';

/**
 * The Merkle tree of the audit log, exactly as Certificate Transparency defines it
 * (RFC 6962 §2.1, restated in RFC 9162 §2.1): leaves hashed with a 0x00 prefix, interior
 * nodes with 0x01, and a tree of n leaves split at the largest power of two below n — so
 * the tree heads, inclusion and consistency proofs agree with every other implementation
 * (the RFC 6962 reference vectors are in merkle.test.ts). Hashes are 32-byte buffers here
 * and lowercase hex on the wire and in the table (docs/cloud.md, "Auditor").
 */
export type Hash = Buffer;

export const EMPTY_ROOT: Hash = createHash('sha256').digest();

/** MTH({d}) = SHA-256(0x00 || d) (RFC 6962 §2.1). */
export function leafHash(data: Uint8Array | string): Hash {
  return createHash('sha256').update(Buffer.of(0)).update(data).digest();
}

/** MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) (RFC 6962 §2.1). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
}

/** The largest power of two smaller than n (n > 1): where RFC 6962 §2.1 splits a tree. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The tree head of these leaf hashes. */
export function rootOf(leaves: readonly Hash[]): Hash {
  return rootOfFrontier(frontierOf(leaves));
}

/** One perfect subtree on the right edge of the tree: its leaf count (a power of two) and hash. */
export interface FrontierNode {
  size: number;
  hash: string;
}

/**
 * The right edge of a tree of n leaves — the roots of its perfect subtrees, largest first
 * (a "compact range", as Trillian and the C2SP tlog formats keep it). A checkpoint stores
 * it, so the next checkpoint extends the tree with only the new leaves: O(new) hashes,
 * not O(n), and nothing older has to be read or trusted from the table again.
 */
export function extendFrontier(frontier: readonly FrontierNode[], leaves: readonly Hash[]): FrontierNode[] {
  const stack: { size: number; hash: Hash }[] = frontier.map((node) => ({
    size: node.size,
    hash: Buffer.from(node.hash, 'hex'),
  }));
  for (const leaf of leaves) {
    stack.push({ size: 1, hash: leaf });
    for (;;) {
      const right = stack.at(-1);
      const left = stack.at(-2);
      if (!left || !right || left.size !== right.size) break;
      stack.splice(-2, 2, { size: left.size * 2, hash: nodeHash(left.hash, right.hash) });
    }
  }
  return stack.map((node) => ({ size: node.size, hash: node.hash.toString('hex') }));
}

export function frontierOf(leaves: readonly Hash[]): FrontierNode[] {
  return extendFrontier([], leaves);
}

/** The tree head from its right edge: the perfect subtrees folded from the right. */
export function rootOfFrontier(frontier: readonly FrontierNode[]): Hash {
  let root: Hash | undefined;
  for (let i = frontier.length - 1; i >= 0; i--) {
    const node = Buffer.from((frontier[i] as FrontierNode).hash, 'hex');
    root = root ? nodeHash(node, root) : node;
  }
  return root ?? EMPTY_ROOT;
}

export function frontierSize(frontier: readonly FrontierNode[]): number {
  return frontier.reduce((n, node) => n + node.size, 0);
}

/** PATH(m, D[n]): the inclusion proof of leaf m (RFC 6962 §2.1.1). */
export function inclusionPath(leaves: readonly Hash[], m: number): Hash[] {
  if (m < 0 || m >= leaves.length) throw new RangeError(`leaf ${m} is not in a tree of ${leaves.length}`);
  const path = (index: number, d: readonly Hash[]): Hash[] => {
    if (d.length <= 1) return [];
    const k = split(d.length);
    return index < k
      ? [...path(index, d.slice(0, k)), rootOf(d.slice(k))]
      : [...path(index - k, d.slice(k)), rootOf(d.slice(0, k))];
  };
  return path(m, leaves);
}

/** PROOF(m, D[n]): the consistency proof from the tree of the first m leaves (RFC 6962 §2.1.2). */
export function consistencyProof(leaves: readonly Hash[], m: number): Hash[] {
  if (m < 0 || m > leaves.length) throw new RangeError(`no tree of ${m} inside a tree of ${leaves.length}`);
  if (m === 0 || m === leaves.length) return [];
  const subproof = (size: number, d: readonly Hash[], whole: boolean): Hash[] => {
    if (size === d.length) return whole ? [] : [rootOf(d)];
    const k = split(d.length);
    return size <= k
      ? [...subproof(size, d.slice(0, k), whole), rootOf(d.slice(k))]
      : [...subproof(size - k, d.slice(k), false), rootOf(d.slice(0, k))];
  };
  return subproof(m, leaves, true);
}

/** Verifies an inclusion proof (the algorithm of RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  leaf: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (index < 0 || index >= size) return false;
  let r = leaf;
  const walked = walkPath(index, size - 1, proof, (p, left) => {
    r = left ? nodeHash(p, r) : nodeHash(r, p);
  });
  return walked && r.equals(root);
}

/** Verifies a consistency proof between two tree heads (the algorithm of RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Hash,
  root2: Hash,
  proof: readonly Hash[],
): boolean {
  if (size1 < 0 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  let path = [...proof];
  // When size1 is a power of two, the first tree's head is the first node of the path.
  if ((size1 & (size1 - 1)) === 0) path = [root1, ...path];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [first, ...rest] = path;
  if (!first) return false;
  let fr = first;
  let sr = first;
  const walked = walkPath(fn, sn, rest, (c, left) => {
    if (left) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
  });
  return walked && fr.equals(root1) && sr.equals(root2);
}

/**
 * The walk up the tree that both verifications share (RFC 9162 §2.1.3.2 and §2.1.4.2): from
 * node `fn` of a level whose last node is `sn`, each path node is hashed in on the left
 * (`left`) or on the right. True when the path ends exactly at the root (sn reaches 0).
 */
function walkPath(
  fn: number,
  sn: number,
  path: readonly Hash[],
  visit: (node: Hash, left: boolean) => void,
): boolean {
  for (const node of path) {
    if (sn === 0) return false;
    const left = fn % 2 === 1 || fn === sn;
    visit(node, left);
    if (left && fn % 2 === 0) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0;
}

/**
 * PROOF(m, D[n]) from the right edge of the first tree and the leaves after it: every
 * node of a consistency proof that lies in the first m leaves is one of the perfect
 * subtrees of the right edge (RFC 6962 §2.1.2's SUBPROOF only asks for those), so a
 * checkpoint's stored edge and the new leaves suffice — the old leaves need not be read
 * (nor even still exist).
 */
export function consistencyProofFrom(frontier: readonly FrontierNode[], after: readonly Hash[]): Hash[] {
  const m = frontierSize(frontier);
  if (m === 0 || after.length === 0) return [];
  const known = new Map<string, Hash>();
  let at = 0;
  for (const node of frontier) {
    known.set(`${at}:${at + node.size}`, Buffer.from(node.hash, 'hex'));
    at += node.size;
  }
  const root = (start: number, end: number): Hash => {
    if (start >= m) return rootOf(after.slice(start - m, end - m));
    const node = known.get(`${start}:${end}`);
    if (!node) throw new RangeError(`${start}..${end} is not on the right edge of ${m}`);
    return node;
  };
  const sub = (size: number, start: number, end: number, whole: boolean): Hash[] => {
    if (size === end - start) return whole ? [] : [root(start, end)];
    const k = split(end - start);
    return size <= k
      ? [...sub(size, start, start + k, whole), root(start + k, end)]
      : [...sub(size - k, start + k, end, false), root(start, start + k)];
  };
  return sub(m, 0, m + after.length, true);
}

/**
 * The levels of the tree, leaves first: each level pairs the one below and carries a
 * lone last node up unchanged — the same tree as RFC 6962 §2.1's split at the largest
 * power of two — so many inclusion proofs cost O(n) once and O(log n) each.
 */
export function treeLevels(leaves: readonly Hash[]): Hash[][] {
  const levels: Hash[][] = [[...leaves]];
  for (let level = levels[0] as Hash[]; level.length > 1; ) {
    const next: Hash[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const [left, right] = [level[i] as Hash, level[i + 1]];
      next.push(right ? nodeHash(left, right) : left);
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

/** PATH(m, D[n]) read off the levels (equal to `inclusionPath`). */
export function inclusionPathFromLevels(levels: readonly Hash[][], m: number): Hash[] {
  const path: Hash[] = [];
  let index = m;
  for (const level of levels.slice(0, -1)) {
    const sibling = level[index ^ 1];
    if (sibling) path.push(sibling);
    index = Math.floor(index / 2);
  }
  return path;
}
