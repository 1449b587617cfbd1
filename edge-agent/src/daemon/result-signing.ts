import type { JobResult } from '@cardfleet/shared';
import { CompactSign, type CryptoKey, type KeyObject } from 'jose';

/**
 * Results are signed with the agent's own key (ES256, compact JWS over the result
 * JSON), so the cloud can check them against the enrolled public key and keep the
 * signature with the audit entry.
 */
export const RESULT_TYPE = 'cardfleet-result+jws';

export function signResult(
  result: JobResult,
  agentId: string,
  privateKey: CryptoKey | KeyObject,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(result)))
    .setProtectedHeader({ alg: 'ES256', kid: agentId, typ: RESULT_TYPE })
    .sign(privateKey);
}
