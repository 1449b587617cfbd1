import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobResult } from '@cardfleet/shared';

/**
 * The processed-job ledger on disk (docs/security.md, invariants 1 and 2): every accepted `jti`
 * with its `seq`, and its result once there is one. A replayed envelope is answered
 * DUPLICATE with the stored result, never run again; `seq` must keep growing. Verified
 * cancels are recorded too, so a cancelled job never starts, even after a restart.
 * Append-only JSON lines, fsynced per record, so a crash loses nothing written.
 */
type Line =
  | { jti: string; seq: number }
  | { jti: string; result: JobResult }
  | { jti: string; cancelled: true };

export class JobLedger {
  private readonly seen = new Map<string, { seq: number; result?: JobResult }>();
  private maxSeq = 0;
  private readonly cancelled = new Set<string>();

  constructor(private readonly path: string) {
    if (!existsSync(path)) return;
    for (const text of readFileSync(path, 'utf8').split('\n')) {
      // Stryker disable next-line ConditionalExpression,MethodExpression: a blank line also fails JSON.parse below and is skipped there
      if (!text.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue; // a torn last line after a crash: the record was not acknowledged
      }
      if ('cancelled' in line) {
        this.cancelled.add(line.jti);
      } else if ('seq' in line) {
        this.seen.set(line.jti, { seq: line.seq });
        this.maxSeq = Math.max(this.maxSeq, line.seq);
      } else {
        const entry = this.seen.get(line.jti);
        if (entry) entry.result = line.result;
      }
    }
  }

  lastSeq(): number {
    return this.maxSeq;
  }

  lookup(jti: string): { seq: number; result?: JobResult } | undefined {
    return this.seen.get(jti);
  }

  /** Jobs accepted but never finished: the agent died while running them. */
  unfinished(): string[] {
    return [...this.seen].filter(([, entry]) => entry.result === undefined).map(([jti]) => jti);
  }

  /** Records an accepted envelope before any card operation. */
  accept(jti: string, seq: number): void {
    this.append({ jti, seq });
    this.seen.set(jti, { seq });
    this.maxSeq = Math.max(this.maxSeq, seq);
  }

  /**
   * A verified cancel for this execution: it will not start (it may not have arrived
   * yet). Kept on disk so a restart does not forget it.
   */
  cancel(jti: string): void {
    if (this.cancelled.has(jti)) return;
    // Stryker disable next-line BooleanLiteral: the reader keys on the presence of `cancelled`, not on its value
    this.append({ jti, cancelled: true });
    this.cancelled.add(jti);
  }

  isCancelled(jti: string): boolean {
    return this.cancelled.has(jti);
  }

  recordResult(jti: string, result: JobResult): void {
    this.append({ jti, result });
    const entry = this.seen.get(jti);
    if (entry) entry.result = result;
  }

  private append(line: Line): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    const fd = openSync(this.path, 'r+');
    // Stryker disable next-line BlockStatement: fsync is durability across power loss, which no unit test can observe
    try {
      fsyncSync(fd);
      // Stryker disable next-line BlockStatement: closing the descriptor frees it; no unit test can observe a leaked one
    } finally {
      closeSync(fd);
    }
  }
}
