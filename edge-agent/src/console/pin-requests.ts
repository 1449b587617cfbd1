import { randomUUID } from 'node:crypto';
import { CardfleetError, type JobResult, pinRuleWords } from '@cardfleet/shared';
import { type Clock, systemClock } from '../runner/clock';
import { checkPinEntries } from '../runner/pin-collection';
import type { PinEntry, PinRequest, PromptCard, Prompter } from '../runner/prompter';
import type { PendingPins, PinOutcome, SettledPins } from './console-schemas';
import { type EndedPins, jobOutcome, outcomeMessage } from './pin-outcome';

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
  encoding?: { id: string; version: number };
}

/** How many ended requests the page can still look up (it polls once a second). */
const RECENT = 20;

interface Waiting {
  view: PendingPins;
  requests: readonly PinRequest[];
  resolve(entries: PinEntry[]): void;
  reject(error: CardfleetError): void;
  timer: NodeJS.Timeout;
}

export class PinRequests {
  private readonly waiting = new Map<string, Waiting>();
  /** Ended requests, newest first: the page says what became of the one it showed. */
  private readonly ended: (EndedPins & { id: string })[] = [];
  private readonly listeners = new Set<() => void>();

  private readonly clock: Clock;

  /** `clock` stamps when a request was asked and when it expires (the real clock if not given). */
  constructor(private readonly options: { timeoutMs: number; clock?: Clock }) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * A Prompter that puts each request of this job on the console, and, once the job has
   * ended, says whether the card took the PINs it was given.
   */
  prompter(context: JobContext = {}): Prompter {
    const asked = new Set<string>();
    return {
      askPins: (application, requests, card) => this.ask(application, requests, context, card, asked),
      jobFinished: (result) => this.jobFinished(asked, result),
    };
  }

  pending(): PendingPins[] {
    return [...this.waiting.values()].map((w) => w.view);
  }

  /** The requests that ended lately, newest first, with what the page says about each. */
  recent(): SettledPins[] {
    return this.ended.map((e) => ({ id: e.id, outcome: e.outcome, message: outcomeMessage(e) }));
  }

  /** Whole seconds until a pending request expires, by the injected clock (0 once past). */
  secondsLeft(view: PendingPins): number {
    const left = Date.parse(view.expiresAt) - Date.parse(this.clock.isoNow());
    return Math.max(0, Math.ceil(left / 1000));
  }

  /** A pending request by id (PIN_REQUEST_UNKNOWN when it has ended). */
  view(id: string): PendingPins {
    return this.find(id).view;
  }

  /** Called whenever a request appears or goes away (the console page refreshes). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  answer(id: string, entries: PinEntry[]): void {
    const waiting = this.find(id);
    try {
      checkPinEntries(waiting.requests, entries);
    } catch (error) {
      throw inWords(error, waiting.requests);
    }
    this.settle(id, 'sent');
    waiting.resolve(entries);
  }

  cancel(id: string): void {
    const waiting = this.find(id);
    this.settle(id, 'cancelled');
    waiting.reject(new CardfleetError('PIN_CANCELLED', 'the operator cancelled the PIN entry'));
  }

  /** Withdraws the requests of a job that was cancelled in the cloud. */
  cancelJob(jobId: string): void {
    for (const [id, waiting] of [...this.waiting]) {
      if (waiting.view.jobId !== jobId) continue;
      this.settle(id, 'cancelled');
      waiting.reject(new CardfleetError('PIN_CANCELLED', 'the job was cancelled in the cloud'));
    }
  }

  /** Rejects everything still waiting (the daemon stops). */
  close(): void {
    for (const id of [...this.waiting.keys()]) {
      const waiting = this.find(id);
      this.settle(id, 'cancelled');
      waiting.reject(new CardfleetError('PIN_CANCELLED', 'the agent stopped before the PIN was entered'));
    }
  }

  private ask(
    application: string,
    requests: readonly PinRequest[],
    context: JobContext,
    card: PromptCard | undefined,
    asked: Set<string>,
  ): Promise<PinEntry[]> {
    const askedAt = this.clock.isoNow();
    const id = randomUUID();
    asked.add(id);
    const reader = card?.reader ?? context.reader;
    return new Promise<PinEntry[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id, 'expired');
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
          ...(reader ? { reader } : {}),
          ...(context.encoding ? { encoding: context.encoding } : {}),
          ...(card ? { card: { atr: card.atr, names: card.cardNames } } : {}),
          application,
          requests: requests.map((r) => ({
            line: r.line,
            description: r.description,
            ...(r.rule === undefined ? {} : ruleView(r.rule)),
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

  private settle(id: string, outcome: PinOutcome): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(id);
    const { reader } = waiting.view;
    this.ended.unshift({ id, outcome, ...(reader ? { reader } : {}) });
    this.ended.length = Math.min(this.ended.length, RECENT);
    this.changed();
  }

  /** The PINs this job was given reached the card: say whether it took them. */
  private jobFinished(asked: ReadonlySet<string>, result: JobResult): void {
    const { outcome, detail } = jobOutcome(result);
    for (const ended of this.ended) {
      if (!asked.has(ended.id) || ended.outcome !== 'sent') continue;
      ended.outcome = outcome;
      if (detail) ended.detail = detail;
    }
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function ruleView(rule: string): { rule: string; ruleWords?: string } {
  const words = pinRuleWords(rule);
  return words === undefined ? { rule } : { rule, ruleWords: words };
}

/**
 * The station says a broken rule the way its form does ("it must be 6 digits"), not as
 * the raw rule, which the page shows only behind a disclosure (pin-request-html.ts).
 */
function inWords(error: unknown, requests: readonly PinRequest[]): unknown {
  if (!(error instanceof CardfleetError) || error.code !== 'PIN_RULE') return error;
  const line = error.details?.line;
  const request = requests.find((r) => r.line === line);
  if (!request?.rule) return error;
  const words = pinRuleWords(request.rule);
  return new CardfleetError(
    'PIN_RULE',
    `line ${request.line}: the new PIN does not match the rule ${words ? `— it must be ${words}` : 'set for this card'}`,
    { details: { line: request.line } },
  );
}
