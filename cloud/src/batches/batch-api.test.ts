import { CardfleetError } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { nextCard, startBatch } from './batch-service';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
const json = async (response: Response): Promise<any> => response.json();
const at = () => new Date().toISOString();

/** The batch API and the agent's "next card" over an in-memory cloud (no broker: nothing is published). */
describe('batches: start, next card, stop and the view', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const start = (body: Record<string, unknown>, token = cloud.tokens.operatorBerlin) =>
    cloud.call('POST', '/v1/batches', {
      token,
      body: { agentId: 'agent-berlin-1', reader: 'Reader 0', encodingId: 'write-ef-gdo', ...body },
    });
  const csv = 'HELLO,WORLD\nanna,one\nbert,two\ncarl,three\n';
  const next = (batchId: string, cardIndex: number, agentId = 'agent-berlin-1') =>
    cloud.cloud.batch(agentId, { batchId, cardIndex, atr: '3BD218008131FE58C90217', at: at() });
  const finish = (jobId: string, state: 'SUCCEEDED' | 'FAILED' | 'INTERRUPTED') =>
    cloud.cloud.jobs.move(jobId, state, { cause: 'agent-result', by: 'agent:agent-berlin-1', attempt: 1 });

  beforeEach(async () => {
    cloud = await memoryCloud();
    await pushExample(cloud, 'write-ef-gdo');
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
  });

  it("gives each card one job with its CSV row, however often the card is asked for, and counts the cards' ends", async () => {
    const started = await start({ count: 3, csv });
    expect(started.status).toBe(201);
    const batch = await json(started);
    expect(batch).toMatchObject({ state: 'RUNNING', done: 0, failed: 0, remaining: 3, currentCard: 0 });
    const first = await next(batch.batchId, 1);
    expect(await next(batch.batchId, 1)).toBe(first);
    const job = await cloud.cloud.jobs.get(String(first));
    expect(job).toMatchObject({
      fields: { HELLO: 'anna', WORLD: 'one' },
      reader: 'Reader 0',
      state: 'QUEUED',
    });
    expect(job?.requestId).toBe(`batch.${batch.batchId}.1`);
    await finish(String(first), 'SUCCEEDED');
    const second = String(await next(batch.batchId, 2));
    expect((await cloud.cloud.jobs.get(second))?.fields).toEqual({ HELLO: 'bert', WORLD: 'two' });
    const view = await json(
      await cloud.call('GET', `/v1/batches/${batch.batchId}`, { token: cloud.tokens.auditor }),
    );
    expect(view).toMatchObject({
      state: 'RUNNING',
      done: 1,
      failed: 0,
      running: 1,
      remaining: 1,
      currentCard: 2,
    });
    await finish(second, 'FAILED');
    await finish(String(await next(batch.batchId, 3)), 'SUCCEEDED');
    const ended = await json(
      await cloud.call('GET', `/v1/batches/${batch.batchId}`, { token: cloud.tokens.operatorBerlin }),
    );
    expect(ended).toMatchObject({ state: 'COMPLETED', done: 2, failed: 1, remaining: 0, currentCard: 3 });
    expect(ended.cards.map((c: { state: string }) => c.state)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(await next(batch.batchId, 4)).toBeUndefined();
  });

  it('halts after K failed cards in a row, and an interrupted card does not count towards K', async () => {
    const batch = await json(await start({ count: 3, csv, stopAfterConsecutiveFailures: 2 }));
    await finish(String(await next(batch.batchId, 1)), 'FAILED');
    await finish(String(await next(batch.batchId, 2)), 'INTERRUPTED');
    expect(await next(batch.batchId, 3)).toBeDefined();
    const halting = await json(await start({ count: 3, csv, stopAfterConsecutiveFailures: 2 }));
    await finish(String(await next(halting.batchId, 1)), 'FAILED');
    await finish(String(await next(halting.batchId, 2)), 'FAILED');
    expect(await next(halting.batchId, 3)).toBeUndefined();
    const view = await json(
      await cloud.call('GET', `/v1/batches/${halting.batchId}`, { token: cloud.tokens.admin }),
    );
    expect(view).toMatchObject({ state: 'HALTED', reason: '2 cards in a row failed', failed: 2 });
  });

  it('stops on a person’s word: no further card gets a job', async () => {
    const batch = await json(await start({ untilStopped: true, csv }));
    expect(batch).not.toHaveProperty('remaining');
    const stopped = await cloud.call('POST', `/v1/batches/${batch.batchId}/stop`, {
      token: cloud.tokens.operatorBerlin,
    });
    expect(await json(stopped)).toMatchObject({ state: 'STOPPED', reason: 'stopped by otto' });
    expect(await next(batch.batchId, 1)).toBeUndefined();
    const audit = await json(
      await cloud.call('GET', '/v1/audit?office=berlin', { token: cloud.tokens.auditor }),
    );
    const actions = JSON.stringify(audit);
    expect(actions).toContain('batch.start');
    expect(actions).toContain('batch.stopped');
  });

  it('answers a CSV that does not fit the encoding with 400 and its row and column', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const response = await start(body);
      expect(response.status).toBe(400);
      return (await json(response)).error;
    };
    expect(await refused({ count: 1, csv: 'HELLO,WORLD,PIN\na,b,c\n' })).toMatchObject({
      code: 'BATCH_CSV_INVALID',
      details: { row: 1, column: 'PIN' },
    });
    expect(await refused({ count: 1, csv: 'HELLO\na\n' })).toMatchObject({
      details: { row: 1, column: 'WORLD' },
    });
    expect(await refused({ count: 4, csv })).toMatchObject({ details: { row: 5 } });
    expect(await refused({ csv })).toMatchObject({ code: 'REQUEST_INVALID' });
    const garbled = await cloud.fetch(`${cloud.base}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cloud.tokens.operatorBerlin}` },
      body: '{"agentId":',
    });
    expect(garbled.status).toBe(400);
  });

  it('refuses a batch whose version the office may not run, and halts one whose card job is refused, saying why', async () => {
    const halted = async () => {
      throw new CardfleetError('CONFLICT', 'the release of write-ef-gdo v1 is HALTED');
    };
    const input = {
      agentId: 'agent-berlin-1',
      reader: 'R0',
      encodingId: 'write-ef-gdo',
      count: 1,
      csv,
      stopAfterConsecutiveFailures: 3,
    };
    const actor = { sub: 'otto', office: 'berlin' };
    await expect(startBatch({ ...cloud.cloud.batches, mayRun: halted }, input, actor)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const told: string[] = [];
    const deps = {
      ...cloud.cloud.batches,
      createCardJob: halted,
      tellAgent: async (b: { state: string; reason?: string }) => void told.push(`${b.state}: ${b.reason}`),
    };
    const batch = await startBatch(deps, input, actor);
    expect(
      await nextCard(deps, 'agent-berlin-1', { batchId: batch.batchId, cardIndex: 1, at: at() }),
    ).toBeUndefined();
    expect(told).toEqual([
      'RUNNING: undefined',
      "HALTED: card 1's job was refused: the release of write-ef-gdo v1 is HALTED",
    ]);
    expect(await cloud.cloud.batches.batches.get(batch.batchId)).toMatchObject({ state: 'HALTED' });
  });

  it("keeps a batch to its office and its agent: another office's operator and another agent's request get nothing", async () => {
    expect((await start({ count: 1, csv }, cloud.tokens.operatorParis)).status).toBe(403);
    const batch = await json(await start({ count: 1, csv }));
    expect(
      (await cloud.call('GET', `/v1/batches/${batch.batchId}`, { token: cloud.tokens.operatorParis })).status,
    ).toBe(403);
    expect(await next(batch.batchId, 1, 'agent-paris-1')).toBeUndefined();
    expect(await cloud.cloud.batches.batches.cards(batch.batchId)).toEqual([]);
  });
});
