import { CardfleetError } from '@cardfleet/shared';
import type { CryptoKey } from 'jose';
import type { KeyWrapper } from '../crypto/envelope-encryption';
import type { Signer } from '../crypto/signer';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';
import { checkpointNow, trustedLatest } from './audit-checkpointer';
import { type AuditContent, type AuditEntry, entryProblem, GENESIS_HASH, sealEntry } from './audit-entry';
import { auditMacKey } from './audit-mac-key';
import { proveCard, proveConsistency } from './audit-proofs';
import { type RepairRequest, repairLog } from './audit-repair';
import { cardPointerItem, entryItem, shardEntriesAfter, shardTail } from './audit-shards';
import { openAlerts, quarantineOf, raiseAlert, readState } from './audit-state';
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
}

export interface AuditContext {
  table: Table;
  signer: Signer & { publicKey: CryptoKey };
  macKey: () => Promise<Uint8Array>;
  witness: CheckpointWitness;
  shards: number;
  now: () => string;
  log: (line: string) => void;
}

const ATTEMPTS = 12;

export class AuditLog {
  readonly context: AuditContext;
  private readonly every: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

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
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
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
    const { table, signer } = this.context;
    const macKey = await this.context.macKey();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const state = await readState(table, signer.publicKey);
      const damaged = new Set(openAlerts(state).map((a) => a.shard));
      const healthy = [...Array(this.shards).keys()].filter((s) => !damaged.has(s));
      const shard = healthy[Math.floor(this.random() * healthy.length)];
      if (shard === undefined) throw this.refused();
      const tail = await shardTail(table, shard);
      let seq = tail?.seq ?? 0;
      let prevHash = GENESIS_HASH;
      const after = state.quarantines
        .filter((q) => q.shard === shard && q.to >= seq)
        .sort((a, b) => b.to - a.to)[0];
      if (after) {
        seq = after.to; // the shard resumes after the quarantined range, linked to the repair
        prevHash = after.id;
      } else if (tail && !quarantineOf(state, shard, tail.seq)) {
        const problem = tail.entry
          ? entryProblem(macKey, tail.entry, shard, tail.seq)
          : 'not a readable entry';
        if (problem || !tail.entry) {
          await raiseAlert(
            table,
            { shard, seq: tail.seq, reason: problem ?? 'unreadable', at: this.context.now() },
            this.context.log,
          );
          throw this.refused(shard, tail.seq, problem);
        }
        prevHash = tail.entry.hash;
      }
      const entry = sealEntry(macKey, content, shard, seq + 1, prevHash);
      if (await table.putNew(entryItem(entry))) {
        const pointer = cardPointerItem(entry);
        if (pointer) await table.put(pointer);
        if (entry.seq % this.every === 0) await this.checkpointQuietly();
        return entry;
      }
      await this.sleep(Math.floor(this.random() * Math.min(200, 5 * 2 ** attempt)));
    }
    throw new CardfleetError('AUDIT_CONTENTION', 'could not append to the audit log');
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
    return verifyLog(this.context, options);
  }

  proveCard(cardSerial: string) {
    return proveCard(this.context, cardSerial);
  }

  proveConsistency(from: number) {
    return proveConsistency(this.context, from);
  }

  repair(request: RepairRequest) {
    return repairLog(this.context, (content) => this.append(content), request);
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

  private refused(shard?: number, seq?: number, reason?: string): CardfleetError {
    return new CardfleetError(
      'AUDIT_TAMPERED',
      'the audit log is damaged: this write waits for its repair (docs/cloud.md, "Auditor")',
      { details: { ...(shard !== undefined ? { shard, seq, reason } : {}) } },
    );
  }
}

async function findByDedupeKey(context: AuditContext, dedupeKey: string): Promise<AuditEntry | undefined> {
  for (let shard = 0; shard < context.shards; shard++) {
    for await (const stored of shardEntriesAfter(context.table, shard, 0))
      if (stored.entry?.details?.dedupeKey === dedupeKey) return stored.entry;
  }
  return undefined;
}
