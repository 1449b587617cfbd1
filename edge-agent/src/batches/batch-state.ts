import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '@cardfleet/shared/node';

/**
 * The open batch as the agent keeps it in its state directory (docs/batches.md): the
 * signed batch message (verified again at every start), the next card's index, the card
 * asked for and not yet ended (with its job's execution id once the job was admitted),
 * whether the last card still has to be taken out, and the failures in a row. Written
 * whole to a new file, fsynced and renamed over the old one, so a crash leaves the old
 * state or the new, never half of one. A restart resumes from it: cards that ended are
 * never asked for again (their jobs are in the ledger as well).
 */
export interface BatchProgress {
  /** The signed OPEN batch message (compact JWS). */
  message: string;
  batchId: string;
  nextIndex: number;
  pending?: { index: number; jobId?: string; jti?: string };
  awaitRemoval: boolean;
  consecutiveFailures: number;
}

export interface BatchFile {
  open?: BatchProgress;
  /** Batches that ended here: an OPEN message for one of them again is not taken. */
  closed: string[];
}

const KEEP_CLOSED = 100;

export class BatchStateFile {
  constructor(private readonly path: string) {}

  read(): BatchFile {
    if (!existsSync(this.path)) return { closed: [] };
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as BatchFile;
      return { closed: parsed.closed ?? [], ...(parsed.open ? { open: parsed.open } : {}) };
    } catch {
      // Renamed into place whole, so unreadable means changed by hand: start without a batch.
      return { closed: [] };
    }
  }

  write(file: BatchFile): void {
    const closed = file.closed.slice(-KEEP_CLOSED);
    writeFileDurably(this.path, JSON.stringify({ ...file, closed }));
  }
}
