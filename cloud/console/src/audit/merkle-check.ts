/**
 * The browser's half of the audit log's Merkle tree (docs/console-audit.md): RFC 6962 §2.1
 * hashing and the proof checks of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
 * (consistency), over WebCrypto's SHA-256 — no `node:` import, so the console bundles it.
 * The cloud computes the same tree with node:crypto (cloud/src/audit/merkle.ts, whose
 * RFC 6962 vectors the tests replay here); the two are kept apart because the cloud hashes
 * synchronously and WebCrypto only asynchronously.
 */

/** 32 bytes, always backed by an ArrayBuffer (what `crypto.subtle.digest` takes). */
export type Hash = Uint8Array<ArrayBuffer>;

/** The part of WebCrypto used here, typed structurally: Node 20 and browsers both have it. */
interface Digest {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

export async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Hash> {
  const subtle = (globalThis as unknown as { crypto: { subtle: Digest } }).crypto.subtle;
  return new Uint8Array(await subtle.digest('SHA-256', data));
}

function joined(prefix: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** MTH({d}) = SHA-256(0x00 || d) (RFC 6962 §2.1). */
export const leafHash = (data: Uint8Array) => sha256(joined(0, data));

/** SHA-256(0x01 || left || right) (RFC 6962 §2.1). */
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(joined(1, left, right));

const HEX = /^(?:[0-9a-f]{2})*$/;

/** Lowercase hex (as the API sends hashes) to bytes; undefined when it is not hex. */
export function fromHex(hex: string): Hash | undefined {
  if (!HEX.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const toHex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * The walk up the tree both checks share (RFC 9162 §2.1.3.2 and §2.1.4.2): from node `fn`
 * of a level whose last node is `sn`, each path node is hashed in on the left or on the
 * right. False when the path does not end exactly at the root (sn reaching 0).
 */
async function walkPath(
  fn: number,
  sn: number,
  path: readonly Uint8Array[],
  visit: (node: Uint8Array, left: boolean) => Promise<void>,
): Promise<boolean> {
  for (const node of path) {
    if (sn === 0) return false;
    const left = fn % 2 === 1 || fn === sn;
    await visit(node, left);
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

/** Whether `proof` leads leaf `index` of a tree of `size` leaves to `root` (RFC 9162 §2.1.3.2). */
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let r = leaf;
  const walked = await walkPath(index, size - 1, proof, async (p, left) => {
    r = left ? await nodeHash(p, r) : await nodeHash(r, p);
  });
  return walked && sameBytes(r, root);
}

/** Whether the tree of `size2` leaves extends the one of `size1` (RFC 9162 §2.1.4.2). */
export async function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1)
    return false;
  if (size1 === size2) return proof.length === 0 && sameBytes(root1, root2);
  if (size1 === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  // When size1 is a power of two, the first tree's head is the first node of the path.
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
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
  const walked = await walkPath(fn, sn, rest, async (c, left) => {
    if (left) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
    } else {
      sr = await nodeHash(sr, c);
    }
  });
  return walked && sameBytes(fr, root1) && sameBytes(sr, root2);
}

/** The tree head from a checkpoint's right edge (perfect subtrees, largest first), folded from the right. */
export async function rootOfFrontier(frontier: readonly Uint8Array[]): Promise<Hash> {
  let root: Uint8Array | undefined;
  for (let i = frontier.length - 1; i >= 0; i--) {
    const node = frontier[i] as Uint8Array;
    root = root ? await nodeHash(node, root) : node;
  }
  return root ? new Uint8Array(root) : sha256(new Uint8Array(0));
}
