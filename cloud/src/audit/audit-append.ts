import { CardfleetError } from '@cardfleet/shared';
import type { AuditContext } from './audit-context';
import { type AuditContent, type AuditEntry, entryProblem, GENESIS_HASH, sealEntry } from './audit-entry';
import { cardPointerItem, entryItem, shardTail } from './audit-shards';
import { type AuditState, openAlerts, quarantineOf, raiseAlert, readState } from './audit-state';

const ATTEMPTS = 12;
/** How long an instance reuses what it read of alerts and quarantines (docs/cloud.md, "Auditor"). */
const STATE_TTL_MS = 1000;

/**
 * Appends for one instance (docs/cloud.md, "Auditor"): a shard picked at random among the
 * healthy ones this instance is not already writing to, the next sequence number taken by
 * a conditional put. The instance remembers the tail it wrote last in each shard and puts
 * straight after it — one write per append in the common case; only a lost put reads the
 * shard's tail, and a tail the cloud did not write (its MAC) raises an alert and refuses
 * with AUDIT_TAMPERED: nothing is ever linked to a forgery.
 */
export class ShardAppender {
  private readonly tails = new Map<number, { seq: number; hash: string }>();
  private readonly busy = new Set<number>();
  private readonly waiting: (() => void)[] = [];
  private state: { at: number; value: AuditState } | undefined;

  constructor(
    private readonly context: AuditContext,
    private readonly random: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly clockMs: () => number,
  ) {}

  async append(content: AuditContent): Promise<AuditEntry> {
    const { table } = this.context;
    const macKey = await this.context.macKey();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const state = await this.readState(attempt > 0);
      const damaged = new Set(openAlerts(state).map((a) => a.shard));
      const healthy = [...Array(this.context.shards).keys()].filter((s) => !damaged.has(s));
      if (healthy.length === 0) throw refused();
      const free = healthy.filter((s) => !this.busy.has(s));
      if (free.length === 0) {
        // Every shard has a write of this instance in flight: wait for one rather than
        // collide with ourselves (not an attempt).
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        attempt--;
        continue;
      }
      const shard = free[Math.floor(this.random() * free.length)] as number;
      this.busy.add(shard);
      try {
        let at = this.tails.get(shard);
        if (!at || quarantineOf(state, shard, at.seq + 1) || attempt > 0)
          at = await this.readTail(shard, state, macKey);
        const entry = sealEntry(macKey, content, shard, at.seq + 1, at.hash);
        if (await table.putNew(entryItem(entry))) {
          this.tails.set(shard, { seq: entry.seq, hash: entry.hash });
          const pointer = cardPointerItem(entry);
          if (pointer) await table.put(pointer);
          return entry;
        }
        this.tails.delete(shard);
      } finally {
        this.busy.delete(shard);
        this.waiting.shift()?.();
      }
      await this.sleep(Math.floor(this.random() * Math.min(200, 5 * 2 ** attempt)));
    }
    throw new CardfleetError('AUDIT_CONTENTION', 'could not append to the audit log');
  }

  /** Forgets what this instance cached (after a repair, or in tests that tamper). */
  forget(): void {
    this.tails.clear();
    this.state = undefined;
  }

  private async readState(fresh: boolean): Promise<AuditState> {
    const now = this.clockMs();
    if (!fresh && this.state && now - this.state.at < STATE_TTL_MS) return this.state.value;
    const value = await readState(this.context.table, this.context.signer.publicKey);
    this.state = { at: now, value };
    return value;
  }

  /** Where the shard goes on: after its verified tail, or after a quarantine, linked to the repair. */
  private async readTail(
    shard: number,
    state: AuditState,
    macKey: Uint8Array,
  ): Promise<{ seq: number; hash: string }> {
    const tail = await shardTail(this.context.table, shard);
    const seq = tail?.seq ?? 0;
    const after = state.quarantines
      .filter((q) => q.shard === shard && q.to >= seq)
      .sort((a, b) => b.to - a.to)[0];
    if (after) return { seq: after.to, hash: after.id };
    if (!tail || quarantineOf(state, shard, tail.seq)) return { seq, hash: GENESIS_HASH };
    const problem = tail.entry ? entryProblem(macKey, tail.entry, shard, tail.seq) : 'not a readable entry';
    if (problem || !tail.entry) {
      const reason = problem ?? 'not a readable entry';
      await raiseAlert(
        this.context.table,
        { shard, seq: tail.seq, reason, at: this.context.now() },
        this.context.log,
      );
      this.state = undefined;
      throw refused(shard, tail.seq, reason);
    }
    return { seq, hash: tail.entry.hash };
  }
}

function refused(shard?: number, seq?: number, reason?: string): CardfleetError {
  return new CardfleetError(
    'AUDIT_TAMPERED',
    'the audit log is damaged: this write waits for its repair (docs/cloud.md, "Auditor")',
    { details: shard !== undefined ? { shard, seq, reason } : {} },
  );
}
