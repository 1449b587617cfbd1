import { applicationPlace, isTerminal, progressDoing } from '@cardfleet/shared';

/** What the display reads of a job (GET /v1/jobs/:id): its state and the agent's last progress. */
export interface FollowedJob {
  jobId: string;
  state: string;
  attempt?: number;
  progress?: {
    attempt: number;
    application: string;
    applicationIndex: number;
    applicationCount: number;
    apdusDone: number;
    apdusTotal: number;
    phase?: string;
  };
}

/**
 * The agent's last known progress as one line — the application, its place in the
 * encoding, APDU n of m or the PIN wait — or undefined when there is none for the job's
 * current attempt (progress is informative: a lost event is superseded by the next one
 * or by the result, docs/messaging.md "Progress").
 */
export function progressLine(job: FollowedJob): string | undefined {
  const p = job.progress;
  if (!p || isTerminal(job.state) || (job.attempt !== undefined && p.attempt !== job.attempt))
    return undefined;
  return `job ${job.jobId} ${applicationPlace(p)}: ${progressDoing(p)}`;
}

// ECMA-48: CR back to the line's start, then CSI 2 K erases the whole line.
const ERASE_LINE = '\r\u001b[2K';

/**
 * Shows a followed job as it changes: each state change once, and the agent's progress.
 * Piped (not a TTY): plain lines, one per change, never the same line twice. On a TTY:
 * state changes stay on their own lines and the progress is one line rewritten in
 * place. The end state is not shown here: the caller prints it with its reasons (or as
 * JSON), after `end()` has cleared the progress line.
 */
export class ProgressDisplay {
  private lastState: string | undefined;
  private lastProgress: string | undefined;
  /** A progress line is on screen without its newline (TTY only). */
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
  ) {}

  show(job: FollowedJob): void {
    if (job.state !== this.lastState) {
      this.lastState = job.state;
      if (!isTerminal(job.state)) this.permanent(`job ${job.jobId} ${job.state}`);
    }
    const line = progressLine(job);
    if (line === undefined || line === this.lastProgress) return;
    this.lastProgress = line;
    if (this.tty) {
      this.write(`${ERASE_LINE}${line}`);
      this.drawn = true;
    } else this.write(`${line}\n`);
  }

  /** Clears the progress line (TTY), so the end state prints on a clean line. */
  end(): void {
    if (this.drawn) this.write(ERASE_LINE);
    this.drawn = false;
  }

  private permanent(line: string): void {
    if (!this.tty) {
      this.write(`${line}\n`);
      return;
    }
    this.write(`${this.drawn ? ERASE_LINE : ''}${line}\n`);
    // The progress line was erased for the state line: draw it again below it.
    if (this.drawn && this.lastProgress) this.write(this.lastProgress);
  }
}
