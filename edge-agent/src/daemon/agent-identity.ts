import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardfleetError, type KeySet, relayedErrorCode, verifyKeySet, WIRE_VERSION } from '@cardfleet/shared';
import { exportJWK, importJWK, type JWK } from 'jose';

/**
 * The agent's identity on disk (its state directory): its P-256 private key (mode
 * 0600; it signs results and opens the secrets encrypted to it), its id, the API it
 * enrolled with, and the cloud's signing keys pinned at enrolment.
 */
export interface AgentIdentity {
  agentId: string;
  apiUrl: string;
  privateKey: KeyObject;
  keys: Map<string, Awaited<ReturnType<typeof importJWK>>>;
}

export async function enrolAgent(options: {
  apiUrl: string;
  /** Optional: the one-time code names its agent. */
  agentId?: string;
  code: string;
  stateDirectory: string;
  fetch?: typeof fetch;
}): Promise<AgentIdentity> {
  const http = options.fetch ?? fetch;
  mkdirSync(options.stateDirectory, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const route = options.agentId ? `/v1/agents/${encodeURIComponent(options.agentId)}/enrol` : '/v1/enrol';
  const response = await http(`${options.apiUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: options.code, publicJwk: { kty, crv, x, y } }),
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    throw new CardfleetError(
      relayedErrorCode(error.error?.code, 'ENROL_FAILED'),
      `enrolment refused: ${error.error?.message ?? response.status}`,
    );
  }
  const { id: agentId } = (await response.json()) as { id: string };
  const pinned = await enrolmentKeySet(options.apiUrl, http);
  writeFileSync(
    join(options.stateDirectory, 'agent-key.pem'),
    privateKey.export({ type: 'pkcs8', format: 'pem' }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(options.stateDirectory, 'identity.json'),
    JSON.stringify({ agentId, apiUrl: options.apiUrl }),
    { mode: 0o600 },
  );
  writeFileSync(join(options.stateDirectory, 'pinned-keys.json'), JSON.stringify(pinned), { mode: 0o600 });
  return loadAgentIdentity(options.stateDirectory);
}

/**
 * The keys pinned at enrolment, with the `issuedAt` of the signed key set they come in
 * (shared/src/messages/key-set.ts), so the first later update is already checked
 * against rollback. The keys are trusted as the API serves them at enrolment (the
 * enrolment code and TLS vouch for the API); the signed set must verify against them.
 */
async function enrolmentKeySet(apiUrl: string, http: typeof fetch): Promise<KeySet> {
  try {
    const jwks = (await (await http(`${apiUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    const keys = new Map(
      await Promise.all(
        jwks.keys
          .filter((k) => k.kid)
          .map(async (k) => [String(k.kid), await importJWK(k, 'ES256')] as const),
      ),
    );
    const response = await http(`${apiUrl}/.well-known/cardfleet-keyset.jws?v=${WIRE_VERSION}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await verifyKeySet(await response.text(), keys, {});
  } catch (cause) {
    if (cause instanceof CardfleetError) throw cause;
    throw new CardfleetError('KEYSET_UNREACHABLE', `cannot fetch the key set from ${apiUrl}`, { cause });
  }
}

export async function loadAgentIdentity(stateDirectory: string): Promise<AgentIdentity> {
  let identity: { agentId: string; apiUrl: string };
  let jwks: { keys: (JWK & { kid?: string })[] };
  let pem: string;
  try {
    identity = JSON.parse(readFileSync(join(stateDirectory, 'identity.json'), 'utf8'));
    jwks = JSON.parse(readFileSync(join(stateDirectory, 'pinned-keys.json'), 'utf8'));
    pem = readFileSync(join(stateDirectory, 'agent-key.pem'), 'utf8');
  } catch (cause) {
    throw new CardfleetError(
      'AGENT_NOT_ENROLLED',
      `${stateDirectory} holds no enrolled agent: run cardfleet-agent enrol first`,
      { cause },
    );
  }
  const keys = new Map(
    await Promise.all(
      jwks.keys.filter((k) => k.kid).map(async (k) => [String(k.kid), await importJWK(k, 'ES256')] as const),
    ),
  );
  return { agentId: identity.agentId, apiUrl: identity.apiUrl, privateKey: createPrivateKey(pem), keys };
}
