import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { fromHex, rootOfFrontier, sameBytes } from './merkle-check';

/**
 * The browser's check of a signed checkpoint (docs/console-audit.md): a compact JWS (RFC
 * 7515) with protected header `{ alg: ES256, kid, typ: cardfleet-checkpoint+jws }`, signed
 * by one of the keys the cloud publishes at /.well-known/jwks.json (RFC 7517), over the
 * RFC 6962 §3.5 tree head the cloud keeps (cloud/src/audit/audit-checkpoints.ts): its
 * right edge must fold to the root it signs, and its leaf counts add up to its size.
 */
export const CHECKPOINT_TYP = 'cardfleet-checkpoint+jws';

export interface JwkSet {
  keys: readonly Record<string, unknown>[];
}

export interface CheckpointClaims {
  index: number;
  size: number;
  root: string;
  at: string;
  /** sha256 of the previous checkpoint's JWS. */
  prev: string;
  kid: string;
  /** RFC 7638 thumbprint of the key that signed it: compare it with a copy kept elsewhere. */
  keyThumbprint: string;
}

export type CheckpointCheck = { ok: true; claims: CheckpointClaims } | { ok: false; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;
const isCount = (n: unknown, min: number): n is number => Number.isSafeInteger(n) && (n as number) >= min;

function signingKey(jwks: JwkSet, kid: string): JWK | string {
  const key = jwks.keys.find((k) => k.kid === kid);
  if (!key) return `is signed with key "${kid}", which the published key set does not hold`;
  if (key.kty !== 'EC' || key.crv !== 'P-256')
    return `names the published key "${kid}", which is not a P-256 key`;
  if (key.alg !== undefined && key.alg !== 'ES256')
    return `names the published key "${kid}", which is not for ES256`;
  if (key.use !== undefined && key.use !== 'sig')
    return `names the published key "${kid}", which is not for signatures`;
  return key as JWK;
}

/** Why the claims are not a tree head the cloud makes, or undefined when they are one. */
async function claimsProblem(body: Record<string, unknown>): Promise<string | undefined> {
  if (body.v !== 1) return 'its version is not 1';
  if (!isCount(body.index, 1)) return 'its index is not a positive whole number';
  if (!isCount(body.size, 0)) return 'its size is not a whole number';
  if (typeof body.root !== 'string' || !HEX64.test(body.root)) return 'its root is not a SHA-256 hash';
  if (typeof body.prev !== 'string' || !HEX64.test(body.prev))
    return 'it does not name the checkpoint before it';
  if (typeof body.at !== 'string' || Number.isNaN(Date.parse(body.at))) return 'its time is not a date';
  if (!Array.isArray(body.shards)) return 'it does not say where each shard stood';
  if (!Array.isArray(body.frontier)) return 'it carries no right edge of its tree';
  // The right edge (RFC 6962 §2.1 split): perfect subtrees, strictly shrinking powers of two.
  const nodes: Uint8Array[] = [];
  let total = 0;
  let last = Number.POSITIVE_INFINITY;
  for (const node of body.frontier as unknown[]) {
    const { size, hash } = (node ?? {}) as { size?: unknown; hash?: unknown };
    const bytes = typeof hash === 'string' && HEX64.test(hash) ? fromHex(hash) : undefined;
    if (!isCount(size, 1) || (size & (size - 1)) !== 0 || size >= last || !bytes)
      return 'its right edge is not a list of perfect subtrees';
    nodes.push(bytes);
    total += size;
    last = size;
  }
  if (total !== body.size) return `its right edge holds ${total} entries, not the ${body.size} it claims`;
  const root = fromHex(body.root) as Uint8Array;
  if (!sameBytes(await rootOfFrontier(nodes), root))
    return 'its right edge does not fold to the root it signs';
  return undefined;
}

/**
 * Verifies a checkpoint: header (alg ES256, typ, kid), the signature with that key from the
 * JWKS, then the claims. The reason says in words what failed.
 */
export async function verifyCheckpoint(jwks: JwkSet, jws: string): Promise<CheckpointCheck> {
  const fail = (reason: string): CheckpointCheck => ({ ok: false, reason: `the checkpoint ${reason}` });
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return fail('is not a compact JWS');
  }
  if (header.alg !== 'ES256') return fail(`is signed with ${String(header.alg)}, not ES256`);
  if (header.typ !== CHECKPOINT_TYP) return fail(`is of type ${String(header.typ)}, not ${CHECKPOINT_TYP}`);
  if (typeof header.kid !== 'string') return fail('names no key (kid)');
  const jwk = signingKey(jwks, header.kid);
  if (typeof jwk === 'string') return fail(jwk);
  let payload: Uint8Array;
  try {
    const key = await importJWK(jwk, 'ES256');
    payload = (await compactVerify(jws, key, { algorithms: ['ES256'] })).payload;
  } catch {
    return fail(`signature does not verify with the published key "${header.kid}"`);
  }
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('carries no claims');
    body = parsed as Record<string, unknown>;
  } catch {
    return fail('carries no JSON claims');
  }
  const problem = await claimsProblem(body);
  if (problem) return fail(`is signed, but ${problem}`);
  const { index, size, root, at, prev } = body as Omit<CheckpointClaims, 'kid' | 'keyThumbprint'>;
  const keyThumbprint = await calculateJwkThumbprint(jwk, 'sha256');
  return { ok: true, claims: { index, size, root, at, prev, kid: header.kid, keyThumbprint } };
}
