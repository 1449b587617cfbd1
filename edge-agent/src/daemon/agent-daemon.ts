import {
  type AgentTopics,
  buildBatchRequest,
  buildProgressMessage,
  type Logger,
  topics as localTopics,
  type ProgressEvent,
  recordLogger,
} from '@cardfleet/shared';
import type { CryptoKey, KeyObject } from 'jose';
import { applicationHandlers, type MiddlewareHandlers } from '../applications/application-handlers';
import { BatchLoop, type BatchLoopOptions } from '../batches/batch-loop';
import type { JobContext } from '../console/pin-requests';
import { type AgentMetrics, agentMetrics } from '../observability/agent-metrics';
import { timedReaders } from '../observability/timed-readers';
import type { ReaderPort } from '../readers/reader-port';
import type { Clock } from '../runner/clock';
import type { Prompter } from '../runner/prompter';
import type { VirtualCard } from '../virtual-card/virtual-card';
import { AgentSession } from './agent-session';
import { agentVersion } from './agent-version';
import { type BrokerCredential, brokerLogin } from './broker-credential';
import { JobExecution } from './job-execution';
import type { GateOptions } from './job-gate';
import type { JobLedger } from './job-ledger';
import type { ResultOutbox } from './result-outbox';
import { ResultReporter } from './result-reporter';

/**
 * The agent daemon: envelopes arrive on the agent's jobs topic (QoS 1, persistent
 * session), pass the gate, run one at a time on the card, and leave as signed results
 * through the durable outbox until the cloud acknowledges them (docs/messaging.md). It
 * composes the MQTT session (agent-session.ts), the job loop (job-execution.ts) and the
 * result reporter (result-reporter.ts).
 */
export interface AgentDaemonOptions {
  agentId: string;
  mqttUrl: string;
  /** How the agent logs in to the broker (broker-credential.ts); none: an open broker. */
  mqttCredential?: BrokerCredential;
  /** The topic tree (default: the local one; in AWS `<app>/<stage>/agents`). */
  topics?: AgentTopics;
  keys: GateOptions['keys'];
  privateKey: CryptoKey | KeyObject;
  ledger: JobLedger;
  outbox: ResultOutbox;
  readers: ReaderPort;
  defaultReader: string;
  /** How PIN lines reach a person: one Prompter, or one per job (the operator console shows the job). */
  prompter: Prompter | ((job: JobContext) => Prompter);
  clock: Clock;
  /** PKCS#11 and License applications; APDU applications always run. */
  handlers?: MiddlewareHandlers;
  /**
   * Makes the in-process card dry runs run on, fresh for each (dry-run-target.ts); none:
   * dry runs are refused (DRY_RUN_UNAVAILABLE). Announced in the presence.
   */
  dryRunCard?: () => VirtualCard;
  /**
   * An unacknowledged result is published again this long after it was written, and
   * then every time again (default 30 s). A broker restarted without its sessions drops
   * a result the cloud was not yet subscribed for, and nobody would ask for it.
   */
  resendAfterMs?: number;
  /** Longest wait between reconnect attempts (backoff from 1 s; default 30 s). */
  reconnectMaxMs?: number;
  /**
   * The station's log (journald under systemd; docs/edge-agent.md, "Logs"): connections,
   * jobs taken with their request id, what each result says, acknowledgements. Ids,
   * states, codes and status words only — never job fields, PINs or keys.
   */
  logger?: Logger;
  /** The same events as one plain line each (the record's message; tests). */
  log?: (line: string) => void;
  /** Timestamps of a job's stages, for the latency benchmark (no payloads, no secrets). */
  trace?: (stage: 'received' | 'admitted' | 'ran' | 'reported', jobId?: string) => void;
  /** A verified cancel arrived for this job (the operator console withdraws its PIN request). */
  onCancel?: (jobId: string) => void;
  /**
   * Batches (docs/batches.md): where the open batch is kept (the state directory's
   * `batch.json`), what the station shows of it, its benchmark trace. None: batch
   * messages are refused.
   */
  batches?: Pick<BatchLoopOptions, 'statePath' | 'onStatus' | 'trace' | 'pollMs' | 'resendMs'>;
}

export class AgentDaemon {
  private readonly session: AgentSession;
  private readonly jobs: JobExecution;
  private readonly reporter: ResultReporter;
  private resendTimer: NodeJS.Timeout | undefined;
  /** The open batch's card loop (docs/batches.md), when the daemon takes batches. */
  readonly batch: BatchLoop | undefined;
  private readonly logger: Logger;
  /** Prometheus figures (console server's `GET /metrics`; agent-metrics.ts). */
  readonly metrics: AgentMetrics;

  constructor(private readonly options: AgentDaemonOptions) {
    const lines = options.log;
    const logger = options.logger ?? recordLogger((record) => lines?.(record.msg));
    this.logger = logger;
    const topics = options.topics ?? localTopics;
    this.metrics = agentMetrics({
      readers: options.readers,
      mqttConnected: () => this.session.connected,
      outboxDepth: () => options.outbox.pending().length,
    });
    const readers = timedReaders(options.readers, options.clock, (seconds) =>
      this.metrics.apdu.observe(seconds),
    );
    this.reporter = new ResultReporter({
      topics,
      agentId: options.agentId,
      privateKey: options.privateKey,
      outbox: options.outbox,
      publish: (topic, payload) => this.session.publish(topic, payload),
      logger,
    });
    this.jobs = new JobExecution({
      agentId: options.agentId,
      keys: options.keys,
      privateKey: options.privateKey,
      ledger: options.ledger,
      readers,
      defaultReader: options.defaultReader,
      prompter: options.prompter,
      clock: options.clock,
      handlers: applicationHandlers(options.handlers),
      ...(options.dryRunCard ? { dryRunCard: options.dryRunCard } : {}),
      report: async (result) => {
        this.metrics.jobs.inc({ outcome: result.status });
        await this.reporter.report(result);
        this.batch?.finished(result);
      },
      onAdmitted: (job) => this.batch?.admitted(job),
      publishProgress: (event: ProgressEvent) =>
        this.session.publishBestEffort(topics.progress(options.agentId), buildProgressMessage(event)),
      logger,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.onCancel ? { onCancel: options.onCancel } : {}),
    });
    this.batch =
      options.batches &&
      new BatchLoop({
        ...options.batches,
        agentId: options.agentId,
        keys: options.keys,
        readers: options.readers,
        ledger: options.ledger,
        clock: options.clock,
        logger,
        publish: (request) => this.session.publish(topics.batch(options.agentId), buildBatchRequest(request)),
      });
    this.session = new AgentSession({
      agentId: options.agentId,
      mqttUrl: options.mqttUrl,
      topics,
      ...(options.mqttCredential
        ? {
            login: brokerLogin(options.mqttCredential, {
              agentId: options.agentId,
              privateKey: options.privateKey,
              audience: topics.root,
              clock: options.clock,
            }),
          }
        : {}),
      ...(options.reconnectMaxMs === undefined ? {} : { reconnectMaxMs: options.reconnectMaxMs }),
      readers: options.readers,
      clock: options.clock,
      logger,
      onJob: (payload) => this.jobs.enqueue(payload),
      onCancel: (payload) =>
        void this.jobs
          .cancel(payload)
          .catch((error: unknown) =>
            logger.warn('cancel message refused', { code: (error as { code?: string }).code ?? 'ERROR' }),
          ),
      onAck: (payload) => this.reporter.acknowledge(payload),
      onBatch: (payload) =>
        void (this.batch?.receive(payload) ?? Promise.reject(new Error('this agent takes no batches'))).catch(
          (error: unknown) =>
            logger.warn('batch message refused', { code: (error as { code?: string }).code ?? 'ERROR' }),
        ),
      onReconnect: () => this.reporter.flush(),
      // Announced with every presence (docs/messaging.md, "Agent → cloud").
      agent: {
        version: agentVersion(),
        startedAt: options.clock.isoNow(),
        ...(options.dryRunCard ? { dryRunCard: true } : {}),
      },
    });
  }

  async start(): Promise<void> {
    const { agentId, mqttUrl, defaultReader } = this.options;
    await this.session.start();
    await this.jobs.reportInterrupted();
    this.reporter.flush();
    await this.batch?.resume();
    this.logger.info(`agent ${agentId} online on ${mqttUrl}, reader "${defaultReader}"`, {
      agentId,
      mqttUrl,
      reader: defaultReader,
    });
    const resendAfterMs = this.options.resendAfterMs ?? 30_000;
    this.resendTimer = setInterval(() => {
      if (this.session.connected) this.reporter.flush(resendAfterMs);
    }, resendAfterMs);
    this.resendTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.resendTimer);
    await this.batch?.stop();
    await this.jobs.idle();
    await this.session.stop();
  }

  /** Whether the broker connection is up now (tests; the station's log says the same). */
  get connected(): boolean {
    return this.session.connected;
  }

  /** Waits until every envelope received so far was handled (tests). */
  idle(): Promise<void> {
    return this.jobs.idle();
  }
}
