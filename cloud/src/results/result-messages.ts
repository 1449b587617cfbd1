import {
  CardfleetError,
  isResultPart,
  JobResultSchema,
  joinResultParts,
  ResultPartSchema,
} from '@cardfleet/shared';
import { compactVerify, importJWK } from 'jose';
import type { AgentStore } from '../agents/agent-store';
import type { ResultStore } from './result-store';

/**
 * What arrives on an agent's results topic, locally through the MQTT subscriber and in
 * AWS through the IoT rule → ingestion Lambda: one use case for both.
 *
 * A whole message `{ result, signature }` is checked against the key the agent enrolled
 * (ES256 compact JWS over the result; the topic's agent must be the result's agent) and
 * ingested; the caller then acknowledges `{ jobId, attempt }` on the agent's acks topic.
 * A part (shared/src/messages/result-parts.ts) is kept in the table until all parts of
 * its message are there — parts can reach different Lambda instances — then the joined
 * message goes the same way. Part items expire after a day (TTL attribute `expiresAt`).
 */
export interface ResultMessageDeps {
  agents: AgentStore;
  results: ResultStore;
  ingest: (result: unknown, signature?: string) => Promise<unknown>;
  nowSeconds: () => number;
}

export type Acknowledgement = { jobId: string; attempt: number };

const PART_TTL_SECONDS = 24 * 3600;

export async function receiveResultMessage(
  deps: ResultMessageDeps,
  agentId: string,
  payload: string,
): Promise<Acknowledgement | undefined> {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    throw new CardfleetError('RESULT_INVALID', `a message on ${agentId}'s results topic is not JSON`);
  }
  if (isResultPart(message)) {
    const whole = await keepPart(deps, agentId, message);
    return whole === undefined ? undefined : receiveResultMessage(deps, agentId, whole);
  }
  // The signed bytes are the result; the plain copy next to them (for readers of the
  // wire) is never trusted.
  const { signature } = message as { signature?: unknown };
  const agent = await deps.agents.get(agentId);
  if (!agent?.publicJwk || typeof signature !== 'string')
    throw new CardfleetError('RESULT_UNSIGNED', `result from ${agentId} without a known key or signature`);
  let signed: Uint8Array;
  try {
    ({ payload: signed } = await compactVerify(
      signature,
      await importJWK({ ...agent.publicJwk, alg: 'ES256' }, 'ES256'),
      { algorithms: ['ES256'] },
    ));
  } catch (cause) {
    throw new CardfleetError(
      'RESULT_SIGNATURE',
      `the result from ${agentId} is not signed by its enrolled key`,
      {
        cause,
      },
    );
  }
  const result = JobResultSchema.parse(JSON.parse(new TextDecoder().decode(signed)));
  if (result.agentId !== agentId)
    throw new CardfleetError(
      'RESULT_WRONG_AGENT',
      `a result for ${result.agentId} arrived on ${agentId}'s topic`,
    );
  await deps.ingest(result, signature);
  return { jobId: result.jobId, attempt: result.attempt };
}

async function keepPart(
  deps: ResultMessageDeps,
  agentId: string,
  message: unknown,
): Promise<string | undefined> {
  const parsed = ResultPartSchema.safeParse(message);
  if (!parsed.success) throw new CardfleetError('RESULT_INVALID', `a malformed result part from ${agentId}`);
  const { part, data } = parsed.data;
  await deps.results.keepMessagePart(agentId, part, data, deps.nowSeconds() + PART_TTL_SECONDS);
  // Count first: reading every part's data after each arriving part would read a large
  // result over and over.
  if ((await deps.results.countMessageParts(agentId, part)) < part.total) return undefined;
  const stored = await deps.results.messageParts(agentId, part);
  return joinResultParts(
    stored.map((item) => ResultPartSchema.parse({ part: JSON.parse(String(item.part)), data: item.data })),
  );
}
