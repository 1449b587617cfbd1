import {
  CardfleetError,
  type JobResult,
  localJwsSigner,
  signResultMessage,
  toWireMessages,
} from '@cardfleet/shared';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AgentStore } from '../agents/agent-store';
import { type ResultMessageDeps, receiveResultMessage } from './result-messages';
import type { ResultStore } from './result-store';

/**
 * Attacks on the cloud's intake of results (docs/messaging.md, "Result"): each fails
 * when the check that stops it is removed (docs/mutation-testing.md).
 */
const NOW = 1_800_000_000;
const agent = await generateKeyPair('ES256', { extractable: true });
const publicJwk = await exportJWK(agent.publicKey);
const signer = localJwsSigner('agent-1', agent.privateKey);
const result: JobResult = {
  jobId: 'job-1',
  attempt: 1,
  agentId: 'agent-1',
  status: 'SUCCEEDED',
  finishedAt: '2026-11-29T12:00:01.000Z',
  applications: [],
};

function deps(known: Record<string, unknown> = { 'agent-1': { publicJwk } }) {
  const parts = new Map<string, { part: string; data: string; expiresAt: number }>();
  const ingested: { result: JobResult; signature?: string }[] = [];
  const refused: string[] = [];
  const agents = { get: async (id: string) => known[id] } as unknown as AgentStore;
  const results = {
    keepMessagePart: async (
      agentId: string,
      part: { key: string; index: number },
      data: string,
      expiresAt: number,
    ) => {
      parts.set(`${agentId}/${part.key}/${part.index}`, { part: JSON.stringify(part), data, expiresAt });
    },
    countMessageParts: async () => parts.size,
    messageParts: async () => [...parts.values()],
  } as unknown as ResultStore;
  const d: ResultMessageDeps = {
    agents,
    results,
    ingest: async (r, signature) => {
      ingested.push({ result: r, ...(signature === undefined ? {} : { signature }) });
    },
    refuseRevoked: async (a, r) => {
      refused.push(`${a.id}:${r.jobId}`);
      throw new CardfleetError('AGENT_REVOKED', `agent ${a.id} is revoked`);
    },
    nowSeconds: () => NOW,
  };
  return { d, parts, ingested, refused };
}

describe('result intake attacks', () => {
  it('ingests a result signed by the enrolled key and acknowledges it', async () => {
    const { d, ingested } = deps();
    const message = await signResultMessage(result, signer);
    expect(await receiveResultMessage(d, 'agent-1', message)).toMatchObject({ jobId: 'job-1', attempt: 1 });
    expect(ingested).toEqual([{ result, signature: JSON.parse(message).signature }]);
  });

  it('refuses a well-signed result of a revoked agent, ingesting nothing', async () => {
    const { d, ingested, refused } = deps({ 'agent-1': { id: 'agent-1', state: 'REVOKED', publicJwk } });
    const message = await signResultMessage(result, signer);
    await expect(receiveResultMessage(d, 'agent-1', message)).rejects.toMatchObject({
      code: 'AGENT_REVOKED',
    });
    expect(refused).toEqual(['agent-1:job-1']);
    expect(ingested).toEqual([]);
  });

  it('refuses a result from an agent with no enrolled key, or not enrolled at all', async () => {
    const message = await signResultMessage(result, signer);
    for (const known of [{}, { 'agent-1': {} }]) {
      const { d, ingested } = deps(known);
      await expect(receiveResultMessage(d, 'agent-1', message)).rejects.toMatchObject({
        code: 'RESULT_UNSIGNED',
      });
      expect(ingested).toEqual([]);
    }
  });

  it("refuses a result signed by another key on the agent's topic", async () => {
    const { d, ingested } = deps();
    const stranger = await generateKeyPair('ES256');
    const forged = await signResultMessage(result, localJwsSigner('agent-1', stranger.privateKey));
    await expect(receiveResultMessage(d, 'agent-1', forged)).rejects.toMatchObject({
      code: 'RESULT_SIGNATURE',
    });
    expect(ingested).toEqual([]);
  });

  it('keeps parts for a day and ingests only when all are there, checked like a whole message', async () => {
    const { d, parts, ingested } = deps();
    const big: JobResult = {
      ...result,
      status: 'FAILED',
      error: { code: 'CARD_ERROR', message: 'x'.repeat(200_000) },
    };
    const wire = toWireMessages('job-1:1', await signResultMessage(big, signer));
    expect(wire.length).toBeGreaterThan(1);
    for (const message of wire.slice(0, -1))
      expect(await receiveResultMessage(d, 'agent-1', message)).toBeUndefined();
    expect(ingested).toEqual([]);
    expect([...parts.values()].every((p) => p.expiresAt === NOW + 24 * 3600)).toBe(true);
    expect(await receiveResultMessage(d, 'agent-1', wire.at(-1) ?? '')).toMatchObject({ jobId: 'job-1' });
    expect(ingested).toHaveLength(1);
  });

  it('refuses parts whose joined message is signed by another key', async () => {
    const { d, ingested } = deps();
    const stranger = await generateKeyPair('ES256');
    const big: JobResult = {
      ...result,
      status: 'FAILED',
      error: { code: 'CARD_ERROR', message: 'y'.repeat(200_000) },
    };
    const wire = toWireMessages(
      'job-1:1',
      await signResultMessage(big, localJwsSigner('agent-1', stranger.privateKey)),
    );
    for (const message of wire.slice(0, -1)) await receiveResultMessage(d, 'agent-1', message);
    await expect(receiveResultMessage(d, 'agent-1', wire.at(-1) ?? '')).rejects.toMatchObject({
      code: 'RESULT_SIGNATURE',
    });
    expect(ingested).toEqual([]);
  });

  it('reads no stored part until every part has arrived (a large result is not read over and over)', async () => {
    const { d } = deps();
    let reads = 0;
    const results = d.results;
    const counting = Object.assign(Object.create(results) as ResultStore, {
      messageParts: async (...args: Parameters<ResultStore['messageParts']>) => {
        reads += 1;
        return results.messageParts(...args);
      },
    });
    const big: JobResult = {
      ...result,
      status: 'FAILED',
      error: { code: 'CARD_ERROR', message: 'z'.repeat(200_000) },
    };
    const wire = toWireMessages('job-1:1', await signResultMessage(big, signer));
    for (const message of wire.slice(0, -1))
      await receiveResultMessage({ ...d, results: counting }, 'agent-1', message);
    expect(reads).toBe(0);
    await receiveResultMessage({ ...d, results: counting }, 'agent-1', wire.at(-1) ?? '');
    expect(reads).toBe(1);
  });
});
