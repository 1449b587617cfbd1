import {
  executionId,
  type JobClaims,
  type JobResult,
  type Logger,
  type ProgressEvent,
  parseExecutionId,
  type ValidatedBundle,
  validateBundle,
  verifyCancelMessage,
} from '@cardfleet/shared';
import type { JobContext } from '../console/pin-requests';
import { resultSummary } from '../observability/result-summary';
import type { ReaderPort } from '../readers/reader-port';
import type { ApplicationHandlers } from '../runner/application-port';
import { type Clock, epochSeconds } from '../runner/clock';
import { runEncoding } from '../runner/job-runner';
import type { PromptCard, Prompter } from '../runner/prompter';
import type { VirtualCard } from '../virtual-card/virtual-card';
import { endsCancelled, recordsCancel } from './cancel-rule';
import { jobTarget } from './dry-run-target';
import { admitEnvelope, type GateOptions } from './job-gate';
import type { JobLedger } from './job-ledger';
import {
  cancelledResult,
  completedResult,
  failedResult,
  interruptedResult,
  type StartedExecution,
} from './job-results';
import { ProgressThrottle } from './progress-throttle';

/**
 * The agent's job loop, whatever carries the messages: envelopes run one at a time —
 * gate, cancel rule, run on the card, record in the ledger, report — and leave as
 * results through `report` (docs/messaging.md, "Cloud → agent"). Cancels are taken at
 * once, beside the queue.
 */
export interface JobExecutionOptions {
  agentId: string;
  keys: GateOptions['keys'];
  privateKey: GateOptions['privateKey'];
  ledger: JobLedger;
  readers: ReaderPort;
  defaultReader: string;
  /** How PIN lines reach a person: one Prompter, or one per job (the operator console shows the job). */
  prompter: Prompter | ((job: JobContext) => Prompter);
  clock: Clock;
  handlers: ApplicationHandlers;
  /**
   * Makes the in-process card a dry run runs on, fresh for each (dry-run-target.ts);
   * none: dry runs are refused (DRY_RUN_UNAVAILABLE) and never reach a reader.
   */
  dryRunCard?: () => VirtualCard;
  /** Signs, keeps and publishes a result until the cloud acknowledges it. */
  report: (result: JobResult) => Promise<void>;
  /** QoS 0, best effort. */
  publishProgress: (event: ProgressEvent) => void;
  logger: Logger;
  trace?: (stage: 'received' | 'admitted' | 'ran' | 'reported', jobId?: string) => void;
  onCancel?: (jobId: string) => void;
  /** A job passed the gate, before it runs (a batch learns which card's job it is). */
  onAdmitted?: (job: JobClaims['job']) => void;
}

export class JobExecution {
  private queue: Promise<void> = Promise.resolve();
  private readonly throttle: ProgressThrottle;

  constructor(private readonly options: JobExecutionOptions) {
    this.throttle = new ProgressThrottle(options.clock);
  }

  /** Queues an envelope behind the jobs received before it. */
  enqueue(payload: Buffer): void {
    this.queue = this.queue
      .then(() => this.handle(payload))
      .catch((error: unknown) =>
        this.options.logger.error('a job message could not be handled', {
          code: (error as { code?: string }).code ?? 'ERROR',
          err: error,
        }),
      );
  }

  /** Waits until every envelope received so far was handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /**
   * A job the journal shows as started but unfinished was cut off by a crash: it is
   * reported INTERRUPTED and never run again.
   */
  async reportInterrupted(): Promise<void> {
    const { options } = this;
    for (const jti of options.ledger.unfinished()) {
      const execution = { ...parseExecutionId(jti), agentId: options.agentId };
      const result = interruptedResult(execution, options.clock.isoNow());
      options.ledger.recordResult(jti, result);
      await this.finish(result, options.logger);
    }
  }

  /**
   * A signed cancel from the cloud (verified like an envelope), under the cancel rule; a
   * job waiting for its PINs has its prompt withdrawn.
   */
  async cancel(payload: Buffer): Promise<void> {
    const { options } = this;
    const claims = await verifyCancelMessage(payload, {
      keys: options.keys,
      audience: options.agentId,
      now: epochSeconds(options.clock),
    });
    const jti = executionId(claims.cancel.jobId, claims.cancel.attempt);
    const recorded = recordsCancel(options.ledger.lookup(jti));
    options.logger.info(
      `job ${jti}: cancel received${recorded ? '' : ' (the job already ended: nothing to cancel)'}`,
      { jobId: claims.cancel.jobId, attempt: claims.cancel.attempt, recorded },
    );
    if (!recorded) return;
    options.ledger.cancel(jti);
    options.onCancel?.(claims.cancel.jobId);
  }

  private async handle(payload: Buffer): Promise<void> {
    const { options } = this;
    options.trace?.('received');
    const decision = await admitEnvelope(payload, {
      agentId: options.agentId,
      keys: options.keys,
      privateKey: options.privateKey,
      ledger: options.ledger,
      now: () => epochSeconds(options.clock),
      isoNow: () => options.clock.isoNow(),
    });
    if (decision.kind === 'rejected') {
      // The envelope is named by its hash: nothing unverified reaches the log.
      options.logger.warn(`envelope rejected: ${decision.result.rejection?.reason ?? 'refused'}`, {
        code: decision.result.error?.code,
        envelopeSha256: decision.result.rejection?.envelopeSha256,
      });
      return options.report(decision.result);
    }
    if (decision.kind === 'duplicate') {
      options.logger.info('duplicate envelope: the earlier result is sent again', {
        ...(decision.result ? { jobId: decision.result.jobId, attempt: decision.result.attempt } : {}),
      });
      if (decision.result) await options.report({ ...decision.result, status: 'DUPLICATE' });
      return;
    }
    const { claims, secrets } = decision;
    options.trace?.('admitted', claims.job.id);
    options.onAdmitted?.(claims.job);
    // Every line of this job carries its id and the API call that created it (docs/edge-agent.md, "Logs").
    const log = options.logger.child({
      jobId: claims.job.id,
      attempt: claims.job.attempt,
      ...(claims.job.requestId ? { requestId: claims.job.requestId } : {}),
    });
    log.info(
      `job ${claims.jti}: accepted (encoding ${claims.job.encoding.id} v${claims.job.encoding.version}${claims.job.dryRun ? ', dry run' : ''})`,
      {
        encodingId: claims.job.encoding.id,
        encodingVersion: claims.job.encoding.version,
        ...(claims.job.dryRun ? { dryRun: true } : {}),
      },
    );
    const startedAt = options.clock.isoNow();
    const execution: StartedExecution = {
      jobId: claims.job.id,
      attempt: claims.job.attempt,
      agentId: options.agentId,
      startedAt,
    };
    if (endsCancelled(options.ledger.isCancelled(claims.jti))) {
      const cancelled = cancelledResult(execution, startedAt);
      options.ledger.recordResult(claims.jti, cancelled);
      return this.finish(cancelled, log);
    }
    const result = await this.run(execution, claims.jti, claims.job, secrets, log);
    options.trace?.('ran', claims.job.id);
    options.ledger.recordResult(claims.jti, result);
    await this.finish(result, log);
    options.trace?.('reported', claims.job.id);
  }

  /**
   * Logs what happened — the status, and for a failure the application, line, status word
   * and its meaning (result-summary.ts) — and reports the result.
   */
  private finish(result: JobResult, log: Logger): Promise<void> {
    const { message, fields } = resultSummary(result);
    if (result.status === 'SUCCEEDED') log.info(message, fields);
    else log.warn(message, fields);
    return this.options.report(result);
  }

  private async run(
    execution: StartedExecution,
    jti: string,
    job: JobClaims['job'],
    secrets: Record<string, string>,
    log: Logger,
  ): Promise<JobResult> {
    const { options } = this;
    const bundle = toBundle(job.bundle);
    if (!bundle)
      return failedResult(execution, options.clock.isoNow(), {
        code: 'BUNDLE_INVALID',
        message: 'the bundle in the job does not validate',
      });
    // Before any reader is opened: a dry run goes to the dry-run card or nowhere.
    const decision = jobTarget(job, {
      readers: options.readers,
      defaultReader: options.defaultReader,
      handlers: options.handlers,
      ...(options.dryRunCard ? { dryRunCard: options.dryRunCard } : {}),
    });
    if (decision.kind === 'refused') return failedResult(execution, options.clock.isoNow(), decision.error);
    const { target } = decision;
    const reader = target.reader;
    const station =
      typeof options.prompter === 'function'
        ? options.prompter({
            jobId: execution.jobId,
            reader,
            encoding: { id: job.encoding.id, version: job.encoding.version },
          })
        : options.prompter;
    // A job waiting for a person says so (the PIN lines by their description, never a value).
    const prompter = {
      askPins: (application: string, requests: Parameters<typeof station.askPins>[1], card?: PromptCard) => {
        log.info(`job ${jti}: waiting for PINs at the station (${application})`, {
          application,
          pinLines: requests.map((r) => r.line),
        });
        return station.askPins(application, requests, card);
      },
    };
    let seq = 0;
    try {
      const run = await runEncoding({
        bundle,
        readers: target.readers,
        reader,
        fields: job.fields,
        secrets,
        prompter,
        clock: options.clock,
        handlers: target.handlers,
        onProgress: (update) => {
          if (!this.throttle.passes(update)) return;
          // Numbered per run: the cloud keeps the latest and drops one that comes late.
          seq += 1;
          options.publishProgress({
            jobId: execution.jobId,
            attempt: execution.attempt,
            ...update,
            seq,
            at: options.clock.isoNow(),
          });
        },
      });
      // Cancelled while it waited for its PINs, before it touched the card: CANCELED.
      const cancelled = endsCancelled(options.ledger.isCancelled(jti), run.applications);
      const result = completedResult(execution, options.clock.isoNow(), run, cancelled);
      // The station says whether the card took the PIN (console/pin-outcome.ts).
      station.jobFinished?.(result);
      return result;
    } catch (error) {
      // A reader that cannot be reached (unknown reader, no card, pcscd down) fails the job with its code.
      const code =
        typeof (error as { code?: unknown }).code === 'string'
          ? String((error as { code: string }).code)
          : 'AGENT_ERROR';
      const result = failedResult(execution, options.clock.isoNow(), {
        code,
        message: error instanceof Error ? error.message : String(error),
      });
      station.jobFinished?.(result);
      return result;
    } finally {
      await target.close();
    }
  }
}

function toBundle(files: { name: string; base64: string }[]): ValidatedBundle | undefined {
  return validateBundle({
    files: files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
  }).bundle;
}
