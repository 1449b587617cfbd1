import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uncataloguedItems } from '../../cloud/src/storage/table-key-patterns';
import {
  BATCH_ENCODING,
  type BatchViewBody,
  batchEncodingFiles,
  insertBatchCard,
  serialOf,
} from '../support/batch-cards';
import { AGENT, startSystem } from '../support/e2e-system';
import { scanTable } from '../support/table-scan';

/**
 * Batch, scenario 1 (docs/batches.md), through the real stack: the HTTP API over
 * dynalite, the embedded Aedes enforcing each client's policy (the agent publishes its
 * "next card" on its own batch topic), the agent daemon, pcscd + vpcd. Five virtual
 * cards, each with its own serial, go into the reader one after another; card 3's CSV
 * row holds a name longer than EF GDO, so the card refuses it (6A84) and that card fails.
 */
describe('a batch of five cards on one reader (Aedes, pcscd + vpcd)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  const lines: string[] = [];
  beforeAll(async () => {
    system = await startSystem({
      broker: 'aedes',
      publishOnQueue: true,
      agent: { log: (line) => lines.push(line) },
    });
    await system.readers.remove(0); // the system starts with a card in the reader
    const pushed = await system.cloud.call('POST', '/v1/encodings', {
      token: system.cloud.tokens.admin,
      body: { id: BATCH_ENCODING, files: batchEncodingFiles },
    });
    expect(pushed.status).toBe(201);
  });
  afterAll(() => system.close());

  const view = (batchId: string) =>
    system.api<BatchViewBody>('GET', `/v1/batches/${batchId}`, system.cloud.tokens.operatorBerlin);
  const line = (text: string) => system.until(`"${text}" at the station`, () => lines.includes(text));

  it('answers a CSV that does not fit the encoding with 400 and its row and column', async () => {
    const start = (csv: string, count = 2) =>
      system.cloud.call('POST', '/v1/batches', {
        token: system.cloud.tokens.operatorBerlin,
        body: { agentId: AGENT, reader: system.readers.reader, encodingId: BATCH_ENCODING, count, csv },
      });
    const error = async (response: Response) => {
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: { code: string; details: unknown } }).error;
    };
    expect(await error(await start('HOLDER,PIN\na,1\nb,2\n'))).toEqual(
      expect.objectContaining({ code: 'BATCH_CSV_INVALID', details: { row: 1, column: 'PIN' } }),
    );
    expect((await error(await start('NAME\na\nb\n'))).details).toEqual({ row: 1, column: 'NAME' });
    expect((await error(await start('HOLDER\na\n'))).details).toEqual({ row: 3 });
    expect((await error(await start('HOLDER\n"a\n'))).code).toBe('BATCH_CSV_INVALID');
  });

  it('personalises card after card: 4 SUCCEEDED, 1 FAILED, results and audit by serial, progress right throughout', async () => {
    const names = ['Ada', 'Bea', 'X'.repeat(70), 'Dan', 'Eve'];
    const started = await system.cloud.call('POST', '/v1/batches', {
      token: system.cloud.tokens.operatorBerlin,
      body: {
        agentId: AGENT,
        reader: system.readers.reader,
        encodingId: BATCH_ENCODING,
        count: 5,
        csv: `HOLDER\n${names.join('\n')}\n`,
      },
    });
    expect(started.status).toBe(201);
    const { batchId } = (await started.json()) as BatchViewBody;
    for (let n = 1; n <= 5; n++) {
      await line(`card ${n} of 5 — insert the next card`);
      expect(await view(batchId)).toMatchObject({ state: 'RUNNING', currentCard: n - 1, running: 0 });
      await insertBatchCard(system, n);
      const outcome = n === 3 ? 'FAILED' : 'SUCCEEDED';
      await line(`card ${n} of 5: ${outcome} — remove the card`);
      await system.until(
        `card ${n}'s result in the cloud`,
        async () => (await view(batchId)).cards[n - 1]?.state === outcome,
      );
      expect(await view(batchId)).toMatchObject({
        currentCard: n,
        done: n >= 3 ? n - 1 : n,
        failed: n >= 3 ? 1 : 0,
        ...(n < 5 ? { remaining: 5 - n, state: 'RUNNING' } : {}),
      });
      await system.readers.remove(0);
    }
    await line('batch completed: all 5 cards ended');
    const done = await view(batchId);
    expect(done).toMatchObject({
      state: 'COMPLETED',
      done: 4,
      failed: 1,
      remaining: 0,
      running: 0,
      currentCard: 5,
    });
    expect(done.cardsPerHour).toBeGreaterThan(0);
    expect(done.cards.map((c) => [c.index, c.state, c.serial?.toUpperCase()])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, n === 3 ? 'FAILED' : 'SUCCEEDED', serialOf(n)]),
    );
    // Every card's job ran once, with its own row, and is found by its serial.
    for (const card of done.cards) {
      const byCard = await system.api<{ items: { jobId: string; fields: Record<string, string> }[] }>(
        'GET',
        `/v1/jobs?cardSerial=${card.serial}`,
        system.cloud.tokens.operatorBerlin,
      );
      expect(byCard.items.map((j) => [j.jobId, j.fields.HOLDER])).toEqual([
        [card.jobId, names[card.index - 1]],
      ]);
      const audit = await system.api<{
        items: { action: string; cardSerial?: string; details?: { jobId?: string } }[];
      }>('GET', `/v1/audit?cardSerial=${card.serial}`, system.cloud.tokens.auditor);
      expect(audit.items.map((e) => e.details?.jobId)).toContain(card.jobId);
    }
    const failed = await system.api<{ result: { applications: { failure?: { sw?: string } }[] } }>(
      'GET',
      `/v1/jobs/${done.cards[2]?.jobId}`,
      system.cloud.tokens.operatorBerlin,
    );
    expect(JSON.stringify(failed.result)).toContain('6A84');
    // The batch's items are catalogued kinds (docs/architecture.md, the item catalogue).
    const items = await scanTable(system.cloud.db);
    expect(uncataloguedItems(items).uncatalogued).toEqual([]);
    expect(items.filter((i) => String(i.PK) === `BATCH#${batchId}`).map((i) => String(i.SK))).toEqual([
      'BATCH',
      ...[1, 2, 3, 4, 5].map((n) => `CARD#00000${n}`),
      'ROWS',
    ]);
  });
});
