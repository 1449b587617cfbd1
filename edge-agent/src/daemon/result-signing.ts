import { type JwsSigner, localJwsSigner } from '@cardfleet/shared';
import type { CryptoKey, KeyObject } from 'jose';

/**
 * Results are signed with the agent's own key, `kid` = the agent id (compact JWS, typ
 * `cardfleet-result+jws`; shared/src/messages/result-message.ts signs and the cloud
 * verifies with it), so the cloud can check them against the enrolled public key and
 * keep the signature with the audit entry.
 */
export function resultSigner(agentId: string, privateKey: CryptoKey | KeyObject): JwsSigner {
  return localJwsSigner(agentId, privateKey);
}
