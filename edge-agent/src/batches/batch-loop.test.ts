import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BatchDescription,
  type BatchRequest,
  batchRequestId,
  buildBatchClaims,
  executionId,
  type JobResult,
  localJwsSigner,
  signBatchMessage,
  silentLogger,
} from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudKey, keys } from '../daemon/test-envelopes';
import { InProcessReaders } from '../readers/in-process-readers';
import type { Clock } from '../runner/clock';
import { createHelloWorldCard } from '../virtual-card/hello-world-card';
import { BatchLoop } from './batch-loop';

const READER = 'Virtual Reader 0';
const clock: Clock = { monotonicMs: () => performance.now(), isoNow: () => new Date().toISOString() };
const batch: BatchDescription = {
  id: 'b-1',
  office: 'berlin',
  reader: READER,
  encoding: { id: 'write-ef-gdo', version: 1 },
  count: 3,
  stopAfterConsecutiveFailures: 2,
  status: 'OPEN',
};
const sign = (description: BatchDescription, signer = localJwsSigner('cloud-1', cloudKey.privateKey)) =>
  signBatchMessage(
    buildBatchClaims('agent-1', {
      issuer: 'cardfleet-cloud',
      now: Math.floor(Date.now() / 1000),
      batch: description,
    }),
    signer,
  );
const card = (n: number) => createHelloWorldCard(Uint8Array.of(0x3b, 0x00 + n));

/**
 * A station: an in-process reader, the loop, and a stand-in for the cloud and the job
 * path — every "next" gets a job `job-<index>` that ends as `outcomes[index]` says.
 */
function station(
  options: { statePath?: string; outcomes?: Record<number, JobResult['status']>; answer?: boolean } = {},
) {
  const readers = new InProcessReaders();
  readers.addReader(READER);
  const requests: BatchRequest[] = [];
  const lines: string[] = [];
  const ledger = new Map<string, { seq: number; result?: JobResult }>();
  const statePath = options.statePath ?? join(mkdtempSync(join(tmpdir(), 'batch-')), 'batch.json');
  const loop: BatchLoop = new BatchLoop({
    agentId: 'agent-1',
    keys,
    readers,
    ledger: { lookup: (jti) => ledger.get(jti) },
    statePath,
    clock,
    logger: silentLogger,
    onStatus: (line) => lines.push(line),
    pollMs: 5,
    resendMs: 200,
    publish: async (request) => {
      requests.push(request);
      if (options.answer === false) return;
      const jobId = `job-${request.cardIndex}`;
      loop.admitted({ id: jobId, attempt: 1, requestId: batchRequestId(request.batchId, request.cardIndex) });
      const status = options.outcomes?.[request.cardIndex] ?? 'SUCCEEDED';
      setTimeout(() => loop.finished({ jobId, attempt: 1, status } as JobResult), 10);
    },
  });
  const until = async (what: string, condition: () => boolean) => {
    for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
    if (!condition()) throw new Error(`${what} did not happen; lines: ${lines.join(' | ')}`);
  };
  return { readers, requests, lines, ledger, loop, statePath, until };
}

describe('the agent’s batch loop, card after card on one reader', () => {
  const loops: BatchLoop[] = [];
  afterEach(async () => {
    for (const loop of loops.splice(0)) await loop.stop();
  });

  it('asks for each inserted card’s job once, waits for it to be taken out, and sets a failed card aside', async () => {
    const s = station({ outcomes: { 2: 'FAILED' } });
    loops.push(s.loop);
    await s.loop.receive(await sign(batch));
    await s.until('the first prompt', () => s.lines.includes('card 1 of 3 — insert the next card'));
    for (const n of [1, 2, 3]) {
      s.readers.insert(READER, card(n));
      await s.until(`card ${n} asked to be removed`, () =>
        s.lines.some((l) => l.startsWith(`card ${n} of 3:`)),
      );
      // Still in the reader: no next card is asked for.
      await new Promise((r) => setTimeout(r, 30));
      expect(s.requests.map((r) => r.cardIndex)).toEqual([1, 2, 3].slice(0, n));
      s.readers.remove(READER);
      if (n < 3)
        await s.until(`card ${n + 1} prompted`, () =>
          s.lines.includes(`card ${n + 1} of 3 — insert the next card`),
        );
    }
    await s.until('the batch to complete', () => s.lines.some((l) => l.startsWith('batch completed')));
    expect(s.requests.map((r) => [r.batchId, r.cardIndex, r.atr])).toEqual([
      ['b-1', 1, '3B01'],
      ['b-1', 2, '3B02'],
      ['b-1', 3, '3B03'],
    ]);
    expect(s.lines).toContain('card 2 of 3: FAILED — remove the card');
    expect(s.lines).toContain('card 3 of 3: SUCCEEDED — remove the card');
    expect(s.loop.open).toBeUndefined();
  });

  it('halts after K failed cards in a row, as the cloud does', async () => {
    const s = station({ outcomes: { 1: 'FAILED', 2: 'REJECTED' } });
    loops.push(s.loop);
    await s.loop.receive(await sign(batch));
    for (const n of [1, 2]) {
      s.readers.insert(READER, card(n));
      await s.until(`card ${n} ended`, () => s.lines.some((l) => l.startsWith(`card ${n} of 3:`)));
      s.readers.remove(READER);
      if (n < 2)
        await s.until('card 2 prompted', () => s.lines.includes('card 2 of 3 — insert the next card'));
    }
    await s.until('the halt', () => s.lines.includes('batch halted: 2 cards in a row failed'));
    expect(s.requests).toHaveLength(2);
  });

  it('ends the batch on a signed CLOSED message and says why', async () => {
    const s = station({ answer: false });
    loops.push(s.loop);
    await s.loop.receive(await sign(batch));
    await s.loop.receive(
      await sign({ ...batch, status: 'CLOSED', closed: { state: 'HALTED', reason: 'release halted' } }),
    );
    await s.until('the close', () => s.lines.includes('batch halted: release halted'));
    expect(s.loop.open).toBeUndefined();
    // An OPEN message of the batch again (a replay) does not reopen it.
    await s.loop.receive(await sign(batch));
    expect(s.loop.open).toBeUndefined();
  });

  it('refuses a batch message signed by a key it did not pin, or addressed to another agent', async () => {
    const s = station();
    const stranger = await generateKeyPair('ES256');
    await expect(
      s.loop.receive(await sign(batch, localJwsSigner('cloud-1', stranger.privateKey))),
    ).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_SIGNATURE',
    });
    const other = await signBatchMessage(
      buildBatchClaims('agent-2', { issuer: 'cardfleet-cloud', now: Math.floor(Date.now() / 1000), batch }),
      localJwsSigner('cloud-1', cloudKey.privateKey),
    );
    await expect(s.loop.receive(other)).rejects.toMatchObject({ code: 'ENVELOPE_WRONG_AUDIENCE' });
    expect(s.loop.open).toBeUndefined();
  });

  it('after a restart, takes the card it died on as its ledger says and goes on with the next one', async () => {
    const first = station({ answer: false });
    await first.loop.receive(await sign(batch));
    first.readers.insert(READER, card(1));
    await first.until('card 1 asked for', () => first.requests.length === 1);
    first.loop.admitted({ id: 'job-1', attempt: 1, requestId: batchRequestId('b-1', 1) });
    await first.loop.stop(); // the agent dies with card 1's job running
    const second = station({ statePath: first.statePath });
    loops.push(second.loop);
    second.ledger.set(executionId('job-1', 1), {
      seq: 1,
      result: { jobId: 'job-1', attempt: 1, status: 'INTERRUPTED' } as JobResult,
    });
    second.readers.insert(READER, card(1));
    await second.loop.resume();
    await second.until('card 1 reported', () =>
      second.lines.includes('card 1 of 3: INTERRUPTED — remove the card'),
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(second.requests).toEqual([]);
    second.readers.remove(READER);
    await second.until('card 2 prompted', () => second.lines.includes('card 2 of 3 — insert the next card'));
    second.readers.insert(READER, card(2));
    await second.until('card 2 asked for', () => second.requests.length === 1);
    expect(second.requests[0]?.cardIndex).toBe(2);
  });

  it('asks again for a card whose job never came', async () => {
    const s = station({ answer: false });
    loops.push(s.loop);
    await s.loop.receive(await sign(batch));
    s.readers.insert(READER, card(1));
    await s.until('card 1 asked for twice', () => s.requests.length >= 2);
    expect(new Set(s.requests.map((r) => r.cardIndex))).toEqual(new Set([1]));
  });
});
