import {
  type AgentTopics,
  buildProgressMessage,
  topics as localTopics,
  type ProgressEvent,
} from '@cardfleet/shared';
import type { CryptoKey, KeyObject } from 'jose';
import { applicationHandlers, type MiddlewareHandlers } from '../applications/application-handlers';
import type { JobContext } from '../console/pin-requests';
import type { ReaderPort } from '../readers/reader-port';
import type { Clock } from '../runner/clock';
import type { Prompter } from '../runner/prompter';
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
   * An unacknowledged result is published again this long after it was written, and
   * then every time again (default 30 s). A broker restarted without its sessions drops
   * a result the cloud was not yet subscribed for, and nobody would ask for it.
   */
  resendAfterMs?: number;
  /** Longest wait between reconnect attempts (backoff from 1 s; default 30 s). */
  reconnectMaxMs?: number;
  /**
   * One line per event for the station's log (journald under systemd): connections,
   * jobs taken, results and acknowledgements. Ids, states and error codes only — never
   * job fields, PINs or keys.
   */
  log?: (line: string) => void;
  /** Timestamps of a job's stages, for the latency benchmark (no payloads, no secrets). */
  trace?: (stage: 'received' | 'admitted' | 'ran' | 'reported', jobId?: string) => void;
  /** A verified cancel arrived for this job (the operator console withdraws its PIN request). */
  onCancel?: (jobId: string) => void;
}

export class AgentDaemon {
  private readonly session: AgentSession;
  private readonly jobs: JobExecution;
  private readonly reporter: ResultReporter;
  private resendTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AgentDaemonOptions) {
    const log = (line: string) => options.log?.(line);
    const topics = options.topics ?? localTopics;
    this.reporter = new ResultReporter({
      topics,
      agentId: options.agentId,
      privateKey: options.privateKey,
      outbox: options.outbox,
      publish: (topic, payload) => this.session.publish(topic, payload),
      log,
    });
    this.jobs = new JobExecution({
      agentId: options.agentId,
      keys: options.keys,
      privateKey: options.privateKey,
      ledger: options.ledger,
      readers: options.readers,
      defaultReader: options.defaultReader,
      prompter: options.prompter,
      clock: options.clock,
      handlers: applicationHandlers(options.handlers),
      report: (result) => this.reporter.report(result),
      publishProgress: (event: ProgressEvent) =>
        this.session.publishBestEffort(topics.progress(options.agentId), buildProgressMessage(event)),
      log,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.onCancel ? { onCancel: options.onCancel } : {}),
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
      log,
      onJob: (payload) => this.jobs.enqueue(payload),
      onCancel: (payload) =>
        void this.jobs
          .cancel(payload)
          .catch((error: unknown) =>
            log(`cancel message refused: ${(error as { code?: string }).code ?? 'ERROR'}`),
          ),
      onAck: (payload) => this.reporter.acknowledge(payload),
      onReconnect: () => this.reporter.flush(),
      // Announced with every presence (docs/messaging.md, "Agent → cloud").
      agent: { version: agentVersion(), startedAt: options.clock.isoNow() },
    });
  }

  async start(): Promise<void> {
    const { agentId, mqttUrl, defaultReader } = this.options;
    await this.session.start();
    await this.jobs.reportInterrupted();
    this.reporter.flush();
    this.options.log?.(`agent ${agentId} online on ${mqttUrl}, reader "${defaultReader}"`);
    const resendAfterMs = this.options.resendAfterMs ?? 30_000;
    this.resendTimer = setInterval(() => {
      if (this.session.connected) this.reporter.flush(resendAfterMs);
    }, resendAfterMs);
    this.resendTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.resendTimer);
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
