import type { JobResult, ResultPart } from '@cardfleet/shared';
import { indexKeys, keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';

/** What the index item (META) of a stored result says about it. */
export interface ResultIndex {
  jobId: string;
  attempt: number;
  parts: number;
  status: string;
  agentId: string;
  office: string;
  receivedAt: string;
  /** The agent's signature over the result (ES256 compact JWS), when it came signed. */
  signature?: string;
  /** The card the result names, indexed by its serial (the results-by-card index). */
  card?: { serial: string; finishedAt: string };
}

/**
 * Stored results (table-design.ts): a result's text in parts, each written once, and
 * its index item, which also files the result under the card serial; and the inbox of
 * result messages that arrive in numbered parts (shared/src/messages/result-parts.ts),
 * kept until all parts are there. Ids are read from attributes, never from keys.
 */
export class ResultStore {
  constructor(private readonly table: Table) {}

  /** Writes part `index` of a result's text once: false when it was there already. */
  putPart(jobId: string, attempt: number, index: number, body: string): Promise<boolean> {
    return this.table.putNew({ ...keys.resultPart(jobId, attempt, index), body });
  }

  /** Writes the index item of a result once: false when it was there already. */
  putIndex(index: ResultIndex): Promise<boolean> {
    const { card, signature, ...fields } = index;
    return this.table.putNew({
      ...keys.resultMeta(index.jobId, index.attempt),
      ...(card ? indexKeys.resultsOfCardEntry(card.serial, card.finishedAt, index.jobId) : {}),
      ...fields,
      ...(signature ? { signature } : {}),
    });
  }

  /** The stored result of an attempt, reassembled from its parts. */
  async read(jobId: string, attempt: number): Promise<JobResult | undefined> {
    const items = await this.table.query(keys.result(jobId, attempt), { beginsWith: keys.partPrefix });
    if (items.length === 0) return undefined;
    return JSON.parse(items.map((i) => String(i.body)).join('')) as JobResult;
  }

  /** Ids of the jobs whose results name this card serial, oldest result first. */
  async jobsForCard(serial: string): Promise<string[]> {
    const items = await this.table.query(indexKeys.resultsOfCard(serial), { index: 'GSI1' });
    return items.map((item) => String(item.jobId));
  }

  /** Keeps one part of a result message (once); it expires at `expiresAt` (TTL, seconds). */
  async keepMessagePart(
    agentId: string,
    part: ResultPart['part'],
    data: string,
    expiresAt: number,
  ): Promise<void> {
    await this.table.putNew({
      ...keys.inboxPart(agentId, part.key, part.sha256, part.index),
      part: JSON.stringify(part),
      data,
      expiresAt,
    });
  }

  /** How many parts of this message are kept, without reading them. */
  countMessageParts(agentId: string, part: ResultPart['part']): Promise<number> {
    return this.table.count(keys.inbox(agentId, part.key, part.sha256));
  }

  /** The kept parts of this message, in index order, as stored (`part` is JSON). */
  async messageParts(agentId: string, part: ResultPart['part']): Promise<{ part: string; data: string }[]> {
    const items = await this.table.query(keys.inbox(agentId, part.key, part.sha256));
    return items.map((item) => ({ part: String(item.part), data: String(item.data) }));
  }
}
