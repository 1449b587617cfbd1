import { randomUUID } from 'node:crypto';
import { CardfleetError } from '@cardfleet/shared';
import { type Clock, systemClock } from '../runner/clock';
import { checkPinEntries } from '../runner/pin-collection';
import type { PinEntry, PinRequest, Prompter } from '../runner/prompter';
import type { PendingPins } from './console-schemas';

/**
 * The PIN requests a daemon is waiting on, answered from the operator console or
 * `cardfleet-agent prompt`. The runner asks all PIN lines of a script before its first
 * APDU (see runner/pin-collection.ts), so an unanswered request that times out fails
 * the job with PIN_TIMEOUT having sent nothing to the card.
 *
 * An answer is checked here first (count, rule, confirmation, current/transport PIN
 * present) so the operator can correct a typo while the request stays pending; the
 * runner checks again. Errors name the line, never a PIN.
 */
export interface JobContext {
  jobId?: string;
  reader?: string;
}

interface Waiting {
  view: PendingPins;
  requests: readonly PinRequest[];
  resolve(entries: PinEntry[]): void;
  reject(error: CardfleetError): void;
  timer: NodeJS.Timeout;
}

export class PinRequests {
  private readonly waiting = new Map<string, Waiting>();
  private readonly listeners = new Set<() => void>();

  private readonly clock: Clock;

  /** `clock` stamps when a request was asked and when it expires (the real clock if not given). */
  constructor(private readonly options: { timeoutMs: number; clock?: Clock }) {
    this.clock = options.clock ?? systemClock;
  }

  /** A Prompter that puts each request of this job on the console. */
  prompter(context: JobContext = {}): Prompter {
    return { askPins: (application, requests) => this.ask(application, requests, context) };
  }

  pending(): PendingPins[] {
    return [...this.waiting.values()].map((w) => w.view);
  }

  /** Called whenever a request appears or goes away (the console page refreshes). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  answer(id: string, entries: PinEntry[]): void {
    const waiting = this.find(id);
    checkPinEntries(waiting.requests, entries);
    this.settle(id);
    waiting.resolve(entries);
  }

  cancel(id: string): void {
    const waiting = this.find(id);
    this.settle(id);
    waiting.reject(new CardfleetError('PIN_CANCELLED', 'the operator cancelled the PIN entry'));
  }

  /** Withdraws the requests of a job that was cancelled in the cloud. */
  cancelJob(jobId: string): void {
    for (const [id, waiting] of [...this.waiting]) {
      if (waiting.view.jobId !== jobId) continue;
      this.settle(id);
      waiting.reject(new CardfleetError('PIN_CANCELLED', 'the job was cancelled in the cloud'));
    }
  }

  /** Rejects everything still waiting (the daemon stops). */
  close(): void {
    for (const id of [...this.waiting.keys()]) {
      const waiting = this.find(id);
      this.settle(id);
      waiting.reject(new CardfleetError('PIN_CANCELLED', 'the agent stopped before the PIN was entered'));
    }
  }

  private ask(
    application: string,
    requests: readonly PinRequest[],
    context: JobContext,
  ): Promise<PinEntry[]> {
    const askedAt = this.clock.isoNow();
    const id = randomUUID();
    return new Promise<PinEntry[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id);
        reject(
          new CardfleetError(
            'PIN_TIMEOUT',
            `no PIN was entered within ${Math.round(this.options.timeoutMs / 1000)} s; nothing was sent to the card`,
          ),
        );
      }, this.options.timeoutMs);
      timer.unref();
      this.waiting.set(id, {
        view: {
          id,
          ...(context.jobId ? { jobId: context.jobId } : {}),
          ...(context.reader ? { reader: context.reader } : {}),
          application,
          requests: requests.map((r) => ({
            line: r.line,
            description: r.description,
            ...(r.rule === undefined ? {} : { rule: r.rule }),
            askOld: r.askOld,
            askTransport: r.askTransport,
          })),
          askedAt,
          expiresAt: new Date(Date.parse(askedAt) + this.options.timeoutMs).toISOString(),
        },
        requests,
        resolve,
        reject,
        timer,
      });
      this.changed();
    });
  }

  private find(id: string): Waiting {
    const waiting = this.waiting.get(id);
    if (!waiting)
      throw new CardfleetError(
        'PIN_REQUEST_UNKNOWN',
        `no pending PIN request ${id} (answered, cancelled or timed out)`,
      );
    return waiting;
  }

  private settle(id: string): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(id);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
