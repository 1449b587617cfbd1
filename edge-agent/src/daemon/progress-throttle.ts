import type { Clock } from '../runner/clock';
import type { ProgressUpdate } from '../runner/job-runner';

/**
 * Progress is QoS 0 and throttled: it informs operators, it is not a record — the
 * result is (docs/messaging.md, "Progress"). The first and the last update of an
 * application always pass; those between at most one per `intervalMs`.
 */
export class ProgressThrottle {
  private lastSentMs: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = 250,
  ) {}

  passes(update: ProgressUpdate): boolean {
    const now = this.clock.monotonicMs();
    const boundary = update.apdusDone === 0 || update.apdusDone === update.apdusTotal;
    if (!boundary && this.lastSentMs !== undefined && now - this.lastSentMs < this.intervalMs) return false;
    this.lastSentMs = now;
    return true;
  }
}
