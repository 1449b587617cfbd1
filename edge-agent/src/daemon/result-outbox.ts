import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resultMessageKey } from '@cardfleet/shared';
import { writeFileDurably } from '@cardfleet/shared/node';
import { type Clock, systemClock } from '../runner/clock';

/**
 * Durable outbox of results: a result is written (fsync) before it is published and
 * removed only when the cloud acknowledges it; everything still here is published
 * again after a reconnect or restart, and periodically while unacknowledged (a broker
 * that lost the cloud's subscription drops a result without telling anyone). The
 * cloud's ingestion is idempotent, so a resend is harmless. How long a result has waited
 * is measured on the injected clock; one found on disk at start-up (written by an earlier
 * run) counts as waiting since before this run.
 */
export class ResultOutbox {
  /** When this run wrote each file (monotonic ms), by file name. */
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly directory: string,
    private readonly clock: Clock = systemClock,
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  }

  private path(jti: string): string {
    return join(this.directory, `${jti.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  }

  put(jti: string, message: string): void {
    writeFileDurably(this.path(jti), message);
    this.writtenAt.set(this.path(jti), this.clock.monotonicMs());
  }

  acknowledge(jti: string): void {
    rmSync(this.path(jti), { force: true });
    this.writtenAt.delete(this.path(jti));
  }

  /** Results not yet acknowledged; with `olderThanMs`, only those written at least that long ago. */
  pending(olderThanMs = 0): { key: string; message: string }[] {
    if (!existsSync(this.directory)) return [];
    const cutoff = this.clock.monotonicMs() - olderThanMs;
    return readdirSync(this.directory)
      .filter((name) => name.endsWith('.json'))
      .filter(
        (name) =>
          olderThanMs === 0 ||
          (this.writtenAt.get(join(this.directory, name)) ?? Number.NEGATIVE_INFINITY) <= cutoff,
      )
      .map((name) => {
        const message = readFileSync(join(this.directory, name), 'utf8');
        return { key: resultMessageKey(message), message };
      });
  }
}
