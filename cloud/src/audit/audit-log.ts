import type { CryptoKey } from 'jose';
import type { KeyWrapper } from '../crypto/envelope-encryption';
import type { Signer } from '../crypto/signer';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';

export type { AuditContext } from './audit-context';

import { ShardAppender } from './audit-append';
import { checkpointNow, trustedLatest } from './audit-checkpointer';
import type { AuditContext } from './audit-context';
import type { AuditContent, AuditEntry } from './audit-entry';
import { auditMacKey } from './audit-mac-key';
import { proveCard, proveConsistency } from './audit-proofs';
import { type RepairRequest, repairLog } from './audit-repair';
import { shardEntriesAfter } from './audit-shards';
import { verifyLog } from './audit-verify';
import { type CheckpointWitness, memoryWitness } from './checkpoint-witness';

/**
 * The audit log (docs/cloud.md, "Auditor"; the threat model in docs/security.md): entries
 * appended to one of N shards (a conditional put per entry, no head item, no signature per
 * entry), each authenticated with a MAC under the audit data key, and signed checkpoints —
 * an RFC 6962 tree head over every shard — made every `checkpointEvery` entries of a shard
 * and by the dispatcher's tick, published to a witness outside the table.
 */
export interface AuditLogOptions {
  /** How many shards appends spread over (default 16). */
  shards?: number;
  /** A checkpoint follows the append that fills this many entries of a shard (default 16). */
  checkpointEvery?: number;
  witness?: CheckpointWitness;
  now?: () => string;
  log?: (line: string) => void;
  random?: () => number;
  /** Waits between contended appends (tests and benchmarks may shorten it). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds for how long cached alerts stay fresh. */
  clockMs?: () => number;
}

const _ATTEMPTS = 12;

export class AuditLog {
  readonly context: AuditContext;
  private readonly every: number;
  private readonly appender: ShardAppender;

  constructor(
    table: Table,
    signer: Signer & { publicKey: CryptoKey },
    keyWrapper: KeyWrapper,
    options: AuditLogOptions = {},
  ) {
    this.context = {
      table,
      signer,
      macKey: auditMacKey(table, keyWrapper),
      witness: options.witness ?? memoryWitness(),
      shards: options.shards ?? 16,
      now: options.now ?? (() => new Date().toISOString()),
      log: options.log ?? ((line) => console.error(line)),
    };
    this.every = options.checkpointEvery ?? 16;
    this.appender = new ShardAppender(
      this.context,
      options.random ?? Math.random,
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      options.clockMs ?? Date.now,
    );
  }

  get shards(): number {
    return this.context.shards;
  }

  /**
   * Appends to a shard picked at random among those without an open alert. The shard's
   * last entry must be one the cloud wrote (its MAC), else the shard is damaged: an alert
   * is raised and the append refused with AUDIT_TAMPERED — nothing is linked to a forgery.
   * A lost conditional put tries another shard after a jittered wait.
   */
  async append(content: AuditContent): Promise<AuditEntry> {
    const entry = await this.appender.append(content);
    if (entry.seq % this.every === 0) await this.checkpointQuietly();
    return entry;
  }

  /**
   * Appends once per key, however often it is called: a marker item reserves the key and
   * then records where the entry went; a retry after a crash between the two finds the
   * entry through the marker, or appends it.
   */
  async appendOnce(dedupeKey: string, content: AuditContent): Promise<AuditEntry> {
    const { table } = this.context;
    const marker = keys.auditKey(dedupeKey);
    if (!(await table.putNew({ ...marker, seq: 0 }))) {
      const existing = await table.get(marker);
      if (existing && Number(existing.seq) > 0) {
        const item = await table.get(keys.auditEntry(Number(existing.shard), Number(existing.seq)));
        if (item) return JSON.parse(String(item.entry)) as AuditEntry;
      }
      // Only a retry after a crash between the entry and the marker gets here: search.
      const found = await findByDedupeKey(this.context, dedupeKey);
      if (found) {
        await table.put({ ...marker, shard: found.shard, seq: found.seq });
        return found;
      }
    }
    const entry = await this.append({ ...content, details: { ...(content.details ?? {}), dedupeKey } });
    await table.put({ ...marker, shard: entry.shard, seq: entry.seq });
    return entry;
  }

  /** Makes a checkpoint of everything appended since the last (docs/cloud.md, "Auditor"). */
  checkpoint() {
    return checkpointNow(this.context);
  }

  /** The newest checkpoint, checked against its signature and the witness. */
  latestCheckpoint() {
    return trustedLatest(this.context);
  }

  /** Verifies the whole log, or from checkpoint `from` on (incremental). */
  verify(options: { from?: number } = {}) {
    this.appender.forget(); // what verify finds applies to this instance's next append
    return verifyLog(this.context, options);
  }

  /** A card's entries with inclusion proofs against the newest checkpoint, or checkpoint `at`. */
  proveCard(cardSerial: string, at?: number) {
    return proveCard(this.context, cardSerial, at);
  }

  proveConsistency(from: number) {
    return proveConsistency(this.context, from);
  }

  async repair(request: RepairRequest) {
    this.appender.forget();
    const outcome = await repairLog(this.context, (content) => this.append(content), request);
    this.appender.forget();
    return outcome;
  }

  /** Every entry, shard by shard (tests and small tools; the API pages instead). */
  async entries(): Promise<AuditEntry[]> {
    const all: AuditEntry[] = [];
    for (let shard = 0; shard < this.shards; shard++)
      for await (const stored of shardEntriesAfter(this.context.table, shard, 0))
        if (stored.entry) all.push(stored.entry);
    return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.shard - b.shard || a.seq - b.seq));
  }

  private async checkpointQuietly(): Promise<void> {
    await this.checkpoint().catch((error: unknown) => {
      // The entry is written; a checkpoint that lost to another or found damage is for
      // the next tick (the damage is an alert already).
      this.context.log(`audit checkpoint deferred: ${(error as Error).message}`);
    });
  }
}

async function findByDedupeKey(context: AuditContext, dedupeKey: string): Promise<AuditEntry | undefined> {
  for (let shard = 0; shard < context.shards; shard++) {
    for await (const stored of shardEntriesAfter(context.table, shard, 0))
      if (stored.entry?.details?.dedupeKey === dedupeKey) return stored.entry;
  }
  return undefined;
}
