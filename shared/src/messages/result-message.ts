import { compactVerify } from 'jose';
import { CardfleetError } from '../errors/cardfleet-error';
import { executionId } from './execution-id';
import { type JobResult, parseJobResult } from './job-result';
import { type JwsSigner, jsonBytes, SIGNING_ALGORITHM, type VerificationKey } from './jws-signer';
import {
  parseWireJson,
  WIRE_VERSION,
  type WireVersion,
  wireVersionOf,
  withWireVersion,
} from './wire-version';

/**
 * The signed result message on the agent's results topic (docs/messaging.md, "Result"):
 *   { "v": 2, "result": JobResult, "signature": "<compact JWS>" }
 * The JWS (ES256, `kid` = the agent id, typ `cardfleet-result+jws`) is signed with the
 * agent's own key over `{ "v": 2, ...result }`, so the cloud checks it against the key
 * the agent enrolled and keeps the signature with the audit entry. Only the signed bytes
 * are trusted; the plain `result` beside them is for readers of the wire. Version 1 has
 * no `v`, neither outside nor in the signed result.
 */
export const RESULT_TYPE = 'cardfleet-result+jws';

export interface VerifiedResult {
  result: JobResult;
  /** The compact JWS, kept with the stored result and its audit entry. */
  signature: string;
  version: WireVersion;
}

/** The message text for the results topic (before any splitting into parts). */
export async function signResultMessage(
  result: JobResult,
  signer: JwsSigner,
  version: WireVersion = WIRE_VERSION,
): Promise<string> {
  const signature = await signer.sign(jsonBytes(withWireVersion(result, version)), RESULT_TYPE);
  return JSON.stringify(withWireVersion({ result, signature }, version));
}

/** The outbox key of a result message's execution (what its acknowledgement names). */
export function resultMessageKey(message: string): string {
  const { result } = parseWireJson(message, 'RESULT_INVALID', 'result message') as {
    result?: { jobId?: unknown; attempt?: unknown };
  };
  if (typeof result?.jobId !== 'string' || typeof result.attempt !== 'number')
    throw new CardfleetError('RESULT_INVALID', 'the result message names no execution');
  return executionId(result.jobId, result.attempt);
}

/**
 * Verifies a whole result message from `agentId` against its enrolled key and parses
 * the signed result — once: what comes back is the typed result ingestion stores.
 */
export async function verifyResultMessage(
  payload: string,
  agentKey: VerificationKey,
  agentId: string,
): Promise<VerifiedResult> {
  const message = parseWireJson(payload, 'RESULT_INVALID', `result message from ${agentId}`);
  const version = wireVersionOf(message, 'RESULT_UNSUPPORTED_VERSION', 'result message');
  const { signature } = message as { signature?: unknown };
  if (typeof signature !== 'string')
    throw new CardfleetError('RESULT_UNSIGNED', `result from ${agentId} without a signature`);
  let signed: Uint8Array;
  try {
    ({ payload: signed } = await compactVerify(
      signature,
      (header) => {
        if (header.typ !== RESULT_TYPE)
          throw new CardfleetError('RESULT_BAD_TYPE', `a result signature must have typ ${RESULT_TYPE}`);
        return agentKey;
      },
      { algorithms: [SIGNING_ALGORITHM] },
    ));
  } catch (cause) {
    if (cause instanceof CardfleetError) throw cause;
    throw new CardfleetError(
      'RESULT_SIGNATURE',
      `the result from ${agentId} is not signed by its enrolled key`,
      // Stryker disable next-line ObjectLiteral: the cause is for logs; the check is the code
      { cause },
    );
  }
  const json = parseWireJson(new TextDecoder().decode(signed), 'RESULT_INVALID', 'signed result');
  if (wireVersionOf(json, 'RESULT_UNSUPPORTED_VERSION', 'signed result') !== version)
    throw new CardfleetError(
      'RESULT_INVALID',
      `the signed result from ${agentId} is not in the message's version`,
    );
  const result = parseJobResult(json);
  if (result.agentId !== agentId)
    throw new CardfleetError(
      'RESULT_WRONG_AGENT',
      `a result for ${result.agentId} arrived on ${agentId}'s topic`,
    );
  return { result, signature, version };
}
