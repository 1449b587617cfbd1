import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import { type JwsSigner, jsonBytes, type VerificationKey } from './jws-signer';
import { WIRE_VERSION, type WireVersion, wireVersionOf, withWireVersion } from './wire-version';

/**
 * Signed key-set updates (docs/edge-agent.md: an agent trusts only keys it pinned).
 * The cloud serves its public signing keys as a compact JWS (ES256, typ
 * `cardfleet-keyset+jws`) signed by its current key:
 *   { "v": 2, "keys": [JWK…], "issuedAt": "<ISO time>" }
 * (no `v` in version 1; an agent asks for its version with `?v=`, docs/messaging.md).
 * An agent takes it only when the signing `kid` is already pinned and `issuedAt` is
 * newer than the set it holds (no rollback to an older set). Rotation therefore runs
 * in two steps: publish the next key while still signing with the current one, let
 * agents update, then sign with the next key (docs/edge-agent.md).
 */
export const KEY_SET_TYPE = 'cardfleet-keyset+jws';
export const MAX_KEY_SET_BYTES = 16 * 1024;

const PublicJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  kid: z.string().min(1),
});

export const KeySetSchema = z.object({
  keys: z.array(PublicJwkSchema).min(1).max(16),
  issuedAt: z.string().datetime(),
});
export type KeySet = z.infer<typeof KeySetSchema>;

/** The signed key set, in wire format `version`. */
export function signKeySet(
  keySet: KeySet,
  signer: JwsSigner,
  version: WireVersion = WIRE_VERSION,
): Promise<string> {
  return signer.sign(jsonBytes(withWireVersion(KeySetSchema.parse(keySet), version)), KEY_SET_TYPE);
}

/** Verifies a key-set update against the pinned keys; returns the new set. */
export async function verifyKeySet(
  jws: string,
  pinned: ReadonlyMap<string, VerificationKey>,
  current: { issuedAt?: string; keys?: readonly unknown[] },
): Promise<KeySet> {
  if (Buffer.byteLength(jws) > MAX_KEY_SET_BYTES)
    throw new CardfleetError('KEYSET_INVALID', `the key set exceeds ${MAX_KEY_SET_BYTES} bytes`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw new CardfleetError('KEYSET_INVALID', 'the key set is not a compact JWS');
  }
  if (header.alg !== 'ES256' || header.typ !== KEY_SET_TYPE)
    throw new CardfleetError('KEYSET_INVALID', `the key set must be ES256 with typ ${KEY_SET_TYPE}`);
  // Stryker disable next-line ConditionalExpression: a Map has no undefined key, so get(undefined) is undefined too
  const key = header.kid === undefined ? undefined : pinned.get(header.kid);
  if (!key)
    throw new CardfleetError(
      'KEYSET_UNTRUSTED',
      `the key set is signed by key "${header.kid ?? '?'}", which this agent has not pinned`,
    );
  let payload: Uint8Array;
  try {
    // Stryker disable next-line ObjectLiteral: the header's alg is already checked to be ES256 above
    ({ payload } = await compactVerify(jws, key as Parameters<typeof compactVerify>[1], {
      algorithms: ['ES256'],
    }));
  } catch {
    throw new CardfleetError('KEYSET_UNTRUSTED', 'the key set signature does not verify');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new CardfleetError('KEYSET_INVALID', 'the key set payload is not JSON');
  }
  wireVersionOf(json, 'KEYSET_UNSUPPORTED_VERSION', 'key set');
  const parsed = KeySetSchema.safeParse(json);
  if (!parsed.success)
    throw new CardfleetError('KEYSET_INVALID', 'the key set payload does not fit its schema');
  // Stryker disable next-line ConditionalExpression: Date.parse(undefined) is NaN, and no comparison with NaN holds
  if (current.issuedAt !== undefined && Date.parse(parsed.data.issuedAt) <= Date.parse(current.issuedAt)) {
    // The cloud signs each key list once (cloud/src/http/key-set-document.ts): the same
    // keys again, even stamped earlier by another instance, change nothing — the pinned
    // set stays, with its time. Only a different set from the past is a rollback.
    if (sameKeys(parsed.data.keys, current.keys))
      return { keys: parsed.data.keys, issuedAt: current.issuedAt };
    throw new CardfleetError(
      'KEYSET_ROLLBACK',
      `the key set was issued at ${parsed.data.issuedAt}, not after the pinned set (${current.issuedAt})`,
    );
  }
  return parsed.data;
}

function sameKeys(offered: KeySet['keys'], held: readonly unknown[] | undefined): boolean {
  const pinned = z.array(PublicJwkSchema).safeParse(held);
  if (!pinned.success) return false;
  const canonical = (keys: KeySet['keys']) =>
    JSON.stringify(
      keys.map(({ kid, x, y }) => [kid, x, y]).sort((a, b) => String(a).localeCompare(String(b))),
    );
  return canonical(offered) === canonical(pinned.data);
}
