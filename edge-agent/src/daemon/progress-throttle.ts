import type { Clock } from '../runner/clock';
import type { ProgressUpdate } from '../runner/job-runner';

/**
 * Progress is QoS 0 and throttled: it informs operators, it is not a record — the
 * result is (docs/messaging.md, "Progress"). The first and the last update of an
 * application always pass, and so does a change of phase (the job starts or stops
 * waiting for PINs: the station's state must not be hidden); those between at most one
 * per `intervalMs`. Each event that passes costs the cloud one write (docs/cloud.md,
 * "Cost per job").
 */
export class ProgressThrottle {
  private lastSentMs: number | undefined;
  private lastPhase: ProgressUpdate['phase'];

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = 250,
  ) {}

  passes(update: ProgressUpdate): boolean {
    const now = this.clock.monotonicMs();
    const boundary =
      update.apdusDone === 0 || update.apdusDone === update.apdusTotal || update.phase !== this.lastPhase;
    if (!boundary && this.lastSentMs !== undefined && now - this.lastSentMs < this.intervalMs) return false;
    this.lastSentMs = now;
    this.lastPhase = update.phase;
    return true;
  }
}
