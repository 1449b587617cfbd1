import {
  type BatchClaims,
  type BatchRequest,
  countsAsBatchFailure,
  executionId,
  type JobClaims,
  type JobResult,
  type Logger,
  parseBatchRequestId,
  toHex,
  type VerifyEnvelopeOptions,
  verifyBatchMessage,
} from '@cardfleet/shared';
import type { JobLedger } from '../daemon/job-ledger';
import type { ReaderPort } from '../readers/reader-port';
import { type Clock, epochSeconds } from '../runner/clock';
import { type BatchFile, type BatchProgress, BatchStateFile } from './batch-state';

/**
 * The agent's side of a batch (docs/batches.md). A verified OPEN batch message is kept
 * on disk; then, card after card: wait for a card in the batch's reader (PC/SC presence,
 * through the reader port), ask the cloud for that card's job ("next", QoS 1, sent again
 * until the job arrives), let the job run as every job does (gate, ledger, result), ask
 * for the card to be taken out and wait until the reader is empty. A failed card is set
 * aside; K failed cards in a row end the batch here as in the cloud (the same rule,
 * `countsAsBatchFailure`). A CLOSED message (stopped, halted, completed) ends it too,
 * and the operator is told why. After a restart the batch goes on: a card whose job was
 * admitted ends as its ledger says (INTERRUPTED when the agent died on it; only a person's
 * retry runs it again) and the next card is the one after it.
 */
export type BatchStage = 'card-seen' | 'remove-asked';

export interface BatchLoopOptions {
  agentId: string;
  keys: VerifyEnvelopeOptions['keys'];
  readers: ReaderPort;
  ledger: Pick<JobLedger, 'lookup'>;
  statePath: string;
  clock: Clock;
  /** QoS 1 on the agent's batch topic. */
  publish: (request: BatchRequest) => Promise<void>;
  logger: Logger;
  /** What the station shows: "card 7 of 50 — insert the next card" (console, log). */
  onStatus?: (line: string) => void;
  /** Timestamps for the batch benchmark (no payloads). */
  trace?: (stage: BatchStage, cardIndex: number) => void;
  /** How often the reader and the card's job are looked at (default 50 ms). */
  pollMs?: number;
  /** "next" again when no job came for this long (default 15 s). */
  resendMs?: number;
}

export class BatchLoop {
  private readonly file: BatchStateFile;
  private state: BatchFile;
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Results of jobs of this batch's cards, by job id, as they are reported. */
  private readonly outcomes = new Map<string, JobResult['status']>();

  constructor(private readonly options: BatchLoopOptions) {
    this.file = new BatchStateFile(options.statePath);
    this.state = this.file.read();
  }

  /** The batch open now (tests, the station's status). */
  get open(): Readonly<BatchProgress> | undefined {
    return this.state.open;
  }

  /** A signed batch message arrived on the jobs topic. Throws when it does not verify. */
  async receive(payload: Buffer | string): Promise<void> {
    const raw = payload.toString();
    const claims = await this.verify(raw);
    const { batch } = claims;
    if (batch.status === 'CLOSED') {
      if (this.state.open?.batchId === batch.id)
        this.close(`batch ${batch.closed?.state.toLowerCase() ?? 'closed'}: ${batch.closed?.reason ?? ''}`);
      return;
    }
    if (this.state.closed.includes(batch.id) || this.state.open?.batchId === batch.id) return;
    if (this.state.open) {
      this.options.logger.warn(`batch ${batch.id} not taken: batch ${this.state.open.batchId} is open`, {
        batchId: batch.id,
      });
      return;
    }
    this.save({
      ...this.state,
      open: { message: raw, batchId: batch.id, nextIndex: 1, awaitRemoval: false, consecutiveFailures: 0 },
    });
    this.options.logger.info(`batch ${batch.id} opened on reader "${batch.reader}"`, { batchId: batch.id });
    this.start();
  }

  /** At the daemon's start, after interrupted jobs were reported: the open batch goes on. */
  async resume(): Promise<void> {
    const open = this.state.open;
    if (!open) return;
    try {
      await this.verify(open.message);
    } catch (error) {
      this.close(
        `batch ${open.batchId} ended: its signed message no longer verifies (${(error as { code?: string }).code ?? 'ERROR'})`,
      );
      return;
    }
    this.start();
  }

  /** A job passed the gate: a card of this batch gets its job id on record. */
  admitted(job: Pick<JobClaims['job'], 'id' | 'attempt' | 'requestId'>): void {
    const card = parseBatchRequestId(job.requestId);
    const open = this.state.open;
    if (!card || !open || card.batchId !== open.batchId || open.pending?.index !== card.cardIndex) return;
    this.save({
      ...this.state,
      open: {
        ...open,
        pending: { index: card.cardIndex, jobId: job.id, jti: executionId(job.id, job.attempt) },
      },
    });
  }

  /** A result was reported (the daemon's report path). */
  finished(result: JobResult): void {
    if (result.status !== 'DUPLICATE') this.outcomes.set(result.jobId, result.status);
  }

  /** The daemon stops: the loop ends, the batch stays open on disk. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.run()
      .catch((error: unknown) =>
        this.options.logger.error('the batch loop failed', {
          code: (error as { code?: string }).code ?? 'ERROR',
          err: error,
        }),
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  private async run(): Promise<void> {
    const claims = await this.verify(this.state.open?.message ?? '');
    const { reader, count, stopAfterConsecutiveFailures: limit } = claims.batch;
    const of = count === undefined ? '' : ` of ${count}`;
    while (!this.stopping) {
      const open = this.state.open;
      if (!open) return;
      if (open.pending) {
        const status = await this.outcomeOf(open.pending);
        if (status === undefined) return; // stopped or closed meanwhile
        const failures = countsAsBatchFailure(status) ? open.consecutiveFailures + 1 : 0;
        const { pending, ...rest } = open;
        const index = pending.index;
        this.save({
          ...this.state,
          open: { ...rest, nextIndex: index + 1, awaitRemoval: true, consecutiveFailures: failures },
        });
        this.options.trace?.('remove-asked', index);
        this.status(`card ${index}${of}: ${status} — remove the card`);
        if (failures >= limit) {
          this.close(`batch halted: ${failures} cards in a row failed`);
          return;
        }
        continue;
      }
      if (open.awaitRemoval) {
        if (!(await this.until(async () => !(await this.cardIn(reader))))) return;
        this.save({ ...this.state, open: { ...open, awaitRemoval: false } });
        continue;
      }
      if (count !== undefined && open.nextIndex > count) {
        this.close(`batch completed: all ${count} cards ended`);
        return;
      }
      this.status(`card ${open.nextIndex}${of} — insert the next card`);
      if (!(await this.until(() => this.cardIn(reader)))) return;
      this.options.trace?.('card-seen', open.nextIndex);
      const atr = (await this.options.readers.readers()).find((r) => r.name === reader)?.atr;
      this.save({ ...this.state, open: { ...open, pending: { index: open.nextIndex } } });
      this.status(`card ${open.nextIndex}${of} — personalising`);
      void this.ask(open.batchId, open.nextIndex, atr);
    }
  }

  /** How the card's job ended: from the results reported, or from the ledger after a restart. */
  private async outcomeOf(
    pending: NonNullable<BatchProgress['pending']>,
  ): Promise<JobResult['status'] | undefined> {
    let asked = this.options.clock.monotonicMs();
    let status: JobResult['status'] | undefined;
    const ended = await this.until(async () => {
      const current = this.state.open?.pending;
      const jobId = current?.jobId;
      status = jobId ? (this.outcomes.get(jobId) ?? this.ledgerStatus(current.jti)) : undefined;
      if (status !== undefined) return true;
      // No job for the card yet (lost, or the agent restarted before it came): ask again.
      if (!jobId && this.options.clock.monotonicMs() - asked > (this.options.resendMs ?? 15_000)) {
        asked = this.options.clock.monotonicMs();
        void this.ask(this.state.open?.batchId ?? '', pending.index, undefined);
      }
      return false;
    });
    const jobId = this.state.open?.pending?.jobId;
    if (jobId) this.outcomes.delete(jobId);
    return ended ? status : undefined;
  }

  private ledgerStatus(jti: string | undefined): JobResult['status'] | undefined {
    const status = jti ? this.options.ledger.lookup(jti)?.result?.status : undefined;
    return status === 'DUPLICATE' ? undefined : status;
  }

  private async ask(batchId: string, cardIndex: number, atr: Uint8Array | undefined): Promise<void> {
    await this.options
      .publish({
        batchId,
        cardIndex,
        ...(atr ? { atr: toHex(atr).toUpperCase() } : {}),
        at: this.options.clock.isoNow(),
      })
      .catch((error: unknown) =>
        this.options.logger.warn('batch request not sent; sent again later', {
          code: (error as { code?: string }).code ?? 'ERROR',
        }),
      );
  }

  private async cardIn(reader: string): Promise<boolean> {
    const states = await this.options.readers.readers().catch(() => []);
    return states.some((r) => r.name === reader && r.cardPresent);
  }

  /** Polls `condition` until it holds (true), or the loop stops or the batch closes (false). */
  private async until(condition: () => Promise<boolean> | boolean): Promise<boolean> {
    const pollMs = this.options.pollMs ?? 50;
    const batchId = this.state.open?.batchId;
    while (!this.stopping && this.state.open?.batchId === batchId && batchId !== undefined) {
      if (await condition()) return true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return false;
  }

  private close(line: string): void {
    const open = this.state.open;
    if (!open) return;
    this.status(line);
    this.save({ closed: [...this.state.closed, open.batchId] });
  }

  private status(line: string): void {
    this.options.logger.info(line, { batchId: this.state.open?.batchId });
    this.options.onStatus?.(line);
  }

  private save(file: BatchFile): void {
    this.state = file;
    this.file.write(file);
  }

  private verify(raw: string): Promise<BatchClaims> {
    return verifyBatchMessage(raw, {
      keys: this.options.keys,
      audience: this.options.agentId,
      now: epochSeconds(this.options.clock),
    });
  }
}
