import {
  type Acknowledgement,
  buildAcknowledgement,
  CardfleetError,
  isResultPart,
  type JobResult,
  joinResultParts,
  parseResultPart,
  parseWireJson,
  ResultPartSchema,
  verifyResultMessage,
} from '@cardfleet/shared';
import { importJWK } from 'jose';
import type { Agent, AgentStore } from '../agents/agent-store';
import type { ResultStore } from './result-store';

/**
 * What arrives on an agent's results topic, locally through the MQTT subscriber and in
 * AWS through the IoT rule → ingestion Lambda: one use case for both.
 *
 * A whole message `{ v, result, signature }` (shared/src/messages/result-message.ts) is
 * checked against the key the agent enrolled — typ `cardfleet-result+jws`, the topic's
 * agent is the result's agent — and the signed result, parsed once there, is ingested;
 * the caller then publishes the acknowledgement on the agent's acks topic, written in
 * the result's wire version (docs/messaging.md, "Versions").
 * A part (shared/src/messages/result-parts.ts) is kept in the table until all parts of
 * its message are there — parts can reach different Lambda instances — then the joined
 * message goes the same way. Part items expire after a day (TTL attribute `expiresAt`).
 * A revoked agent's result, however well signed, is refused (revoked-results.ts).
 */
export interface ResultMessageDeps {
  agents: AgentStore;
  results: ResultStore;
  ingest: (result: JobResult, signature?: string) => Promise<unknown>;
  /** Refuses, and audits as rejected, the verified result of a revoked agent: always throws AGENT_REVOKED. */
  refuseRevoked: (agent: Agent, result: JobResult) => Promise<never>;
  nowSeconds: () => number;
}

const PART_TTL_SECONDS = 24 * 3600;

export async function receiveResultMessage(
  deps: ResultMessageDeps,
  agentId: string,
  payload: string,
): Promise<Acknowledgement | undefined> {
  const message = parseWireJson(payload, 'RESULT_INVALID', `message on ${agentId}'s results topic`);
  if (isResultPart(message)) {
    const whole = await keepPart(deps, agentId, message);
    return whole === undefined ? undefined : receiveResultMessage(deps, agentId, whole);
  }
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: presence only costs a read; state and key are the same
  const agent = await deps.agents.get(agentId, { presence: false });
  if (!agent?.publicJwk)
    throw new CardfleetError('RESULT_UNSIGNED', `result from ${agentId} without a known key or signature`);
  const { result, signature, version } = await verifyResultMessage(
    payload,
    await importJWK({ ...agent.publicJwk, alg: 'ES256' }, 'ES256'),
    agentId,
  );
  // Verified first: only the holder of the agent's key gets its refusal audited.
  if (agent.state === 'REVOKED') return deps.refuseRevoked(agent, result);
  await deps.ingest(result, signature);
  return buildAcknowledgement(result, version);
}

async function keepPart(
  deps: ResultMessageDeps,
  agentId: string,
  message: unknown,
): Promise<string | undefined> {
  const { part, data } = parseResultPart(message, agentId);
  await deps.results.keepMessagePart(agentId, part, data, deps.nowSeconds() + PART_TTL_SECONDS);
  // Count first: reading every part's data after each arriving part would read a large
  // result over and over.
  if ((await deps.results.countMessageParts(agentId, part)) < part.total) return undefined;
  const stored = await deps.results.messageParts(agentId, part);
  return joinResultParts(
    stored.map((item) => ResultPartSchema.parse({ part: JSON.parse(String(item.part)), data: item.data })),
  );
}
