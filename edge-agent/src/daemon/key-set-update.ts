import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardfleetError, verifyKeySet, WIRE_VERSION } from '@cardfleet/shared';
import { importJWK, type JWK } from 'jose';
import type { AgentIdentity } from './agent-identity';

/**
 * Takes the cloud's signed key-set update (shared/src/messages/key-set.ts) when it is
 * signed by a key this agent already pinned and newer than the pinned set; rewrites
 * `pinned-keys.json` (0600, atomically) and the daemon's key map in place, so the job
 * gate uses the new keys from the next envelope on. Anything else leaves the pins as
 * they were and says why (KEYSET_UNTRUSTED, KEYSET_ROLLBACK, KEYSET_INVALID,
 * KEYSET_UNREACHABLE).
 */
export async function updatePinnedKeys(
  stateDirectory: string,
  identity: Pick<AgentIdentity, 'apiUrl' | 'keys'>,
  http: typeof fetch = fetch,
): Promise<{ pinned: string[]; added: string[]; removed: string[] }> {
  const file = join(stateDirectory, 'pinned-keys.json');
  const held = JSON.parse(readFileSync(file, 'utf8')) as { issuedAt?: string; keys?: unknown[] };
  let jws: string;
  try {
    const response = await http(`${identity.apiUrl}/.well-known/cardfleet-keyset.jws?v=${WIRE_VERSION}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    jws = await response.text();
  } catch (cause) {
    throw new CardfleetError('KEYSET_UNREACHABLE', `cannot fetch the key set from ${identity.apiUrl}`, {
      cause,
    });
  }
  const keySet = await verifyKeySet(jws, identity.keys, held);
  const imported = await Promise.all(
    keySet.keys.map(async (k) => [k.kid, await importJWK(k as JWK, 'ES256')] as const),
  );
  const before = new Set(identity.keys.keys());
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(keySet), { mode: 0o600 });
  renameSync(temp, file);
  identity.keys.clear();
  for (const [kid, key] of imported) identity.keys.set(kid, key);
  const after = [...identity.keys.keys()];
  return {
    pinned: after,
    added: after.filter((kid) => !before.has(kid)),
    removed: [...before].filter((kid) => !identity.keys.has(kid)),
  };
}
