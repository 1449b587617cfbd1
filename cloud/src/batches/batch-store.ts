import { randomUUID } from 'node:crypto';
import { type BatchState, CardfleetError } from '@cardfleet/shared';
import { LOST, retryOptimistic } from '../storage/optimistic-retry';
import { SealedStore } from '../storage/sealed-store';
import { keys } from '../storage/table-design';
import type { Item } from '../storage/table-port';

/**
 * Batches (docs/batches.md): one item per batch (its settings and state), one item with
 * its CSV rows — the values of secret columns sealed at rest like a job's secret fields
 * (docs/security.md, invariant 3) — and one item per card asked for, written once
 * (`putNew`), so a card index never gets a second job however often it is asked for.
 * Counters are not stored: the batch's view reads its cards' jobs (batch-view.ts).
 */
export interface Batch {
  batchId: string;
  agentId: string;
  office: string;
  reader: string;
  encoding: { id: string; version: number; sha256: string };
  count?: number;
  untilStopped: boolean;
  stopAfterConsecutiveFailures: number;
  secretFields: string[];
  state: BatchState;
  reason?: string;
  startedAt: string;
  startedBy: string;
  endedAt?: string;
}

export interface BatchCard {
  index: number;
  jobId: string;
  atr?: string;
  requestedAt: string;
}

export type NewBatch = Omit<Batch, 'batchId' | 'state' | 'startedAt' | 'startedBy' | 'endedAt' | 'reason'>;

export class BatchStore extends SealedStore {
  async create(input: NewBatch, rows: Record<string, string>[], actor: string): Promise<Batch> {
    const batchId = randomUUID();
    const startedAt = this.now();
    const batch: Batch = { ...input, batchId, state: 'RUNNING', startedAt, startedBy: actor };
    const secret = new Set(input.secretFields);
    const split = (keep: (name: string) => boolean) =>
      rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => keep(name))));
    const rowsKey = keys.batchRows(batchId);
    const secrets = split((name) => secret.has(name));
    await this.table.put({
      ...rowsKey,
      rows: JSON.stringify(split((name) => !secret.has(name))),
      secrets: secrets.some((row) => Object.keys(row).length > 0)
        ? await this.sealFor(rowsKey, 'secrets', secrets)
        : '',
    });
    if (!(await this.table.putNew(toItem(batch, 1))))
      throw new CardfleetError('CONFLICT', 'batch id collision');
    await this.audit.append({
      at: startedAt,
      actor,
      action: 'batch.start',
      office: batch.office,
      agentId: batch.agentId,
      encoding: batch.encoding,
      details: {
        batchId,
        reader: batch.reader,
        ...(batch.count === undefined ? { untilStopped: true } : { count: batch.count }),
        rows: rows.length,
        stopAfterConsecutiveFailures: batch.stopAfterConsecutiveFailures,
      },
    });
    return batch;
  }

  async get(batchId: string): Promise<Batch | undefined> {
    const item = await this.table.get(keys.batch(batchId));
    return item ? fromItem(item) : undefined;
  }

  /** Card `index`'s fields (row `index` of the CSV), secrets unsealed: for its job only. */
  async row(batchId: string, index: number): Promise<Record<string, string> | undefined> {
    const key = keys.batchRows(batchId);
    const item = await this.table.get(key);
    if (!item) return undefined;
    const plain = (JSON.parse(String(item.rows)) as Record<string, string>[])[index - 1];
    if (!plain) return undefined;
    const sealed = String(item.secrets ?? '');
    const secrets = sealed
      ? (await this.openFrom<Record<string, string>[]>(key, 'secrets', sealed))[index - 1]
      : {};
    return { ...plain, ...secrets };
  }

  async rowCount(batchId: string): Promise<number> {
    const item = await this.table.get(keys.batchRows(batchId));
    return item ? (JSON.parse(String(item.rows)) as unknown[]).length : 0;
  }

  async cards(batchId: string): Promise<BatchCard[]> {
    const items = await this.table.query(keys.batchPartition(batchId), { beginsWith: keys.batchCardPrefix });
    return items.map((item) => JSON.parse(String(item.card)) as BatchCard);
  }

  async card(batchId: string, index: number): Promise<BatchCard | undefined> {
    const item = await this.table.get(keys.batchCard(batchId, index));
    return item ? (JSON.parse(String(item.card)) as BatchCard) : undefined;
  }

  /** Records card `index`'s job; false when the card already has one. */
  addCard(batchId: string, card: BatchCard): Promise<boolean> {
    return this.table.putNew({
      ...keys.batchCard(batchId, card.index),
      card: JSON.stringify(card),
      jobId: card.jobId,
    });
  }

  /**
   * Ends a running batch (STOPPED by a person, HALTED, COMPLETED) and audits it; a batch
   * that already ended keeps its state and is returned as it is.
   */
  async end(
    batchId: string,
    state: Exclude<BatchState, 'RUNNING'>,
    reason: string,
    actor: string,
  ): Promise<Batch> {
    const ended = await retryOptimistic(`batch ${batchId}`, async () => {
      const item = await this.table.get(keys.batch(batchId));
      if (!item) throw new CardfleetError('NOT_FOUND', `batch ${batchId} not found`);
      const batch = fromItem(item);
      if (batch.state !== 'RUNNING') return { batch, moved: false };
      const next: Batch = { ...batch, state, reason, endedAt: this.now() };
      const version = Number(item.version);
      return (await this.table.putIfVersion(toItem(next, version + 1), version))
        ? { batch: next, moved: true }
        : LOST;
    });
    if (ended.moved)
      await this.audit.append({
        at: ended.batch.endedAt ?? this.now(),
        actor,
        action: `batch.${state.toLowerCase()}`,
        office: ended.batch.office,
        agentId: ended.batch.agentId,
        encoding: ended.batch.encoding,
        details: { batchId, reason },
      });
    return ended.batch;
  }
}

function toItem(batch: Batch, version: number): Item {
  return { ...keys.batch(batch.batchId), batch: JSON.stringify(batch), state: batch.state, version };
}

function fromItem(item: Item): Batch {
  return JSON.parse(String(item.batch)) as Batch;
}
