import {
  buildPresenceMessage,
  buildProgressMessage,
  executionId,
  JOB_CANCEL_TYPE,
  type JobResult,
  type Presence,
  type ProgressEvent,
  parseExecutionId,
  signedMessageType,
  topics,
  type ValidatedBundle,
  validateBundle,
  verifyCancelMessage,
} from '@cardfleet/shared';
import type { CryptoKey, KeyObject } from 'jose';
import { connect, type MqttClient } from 'mqtt';
import type { JobContext } from '../console/pin-requests';
import type { ReaderPort } from '../readers/reader-port';
import type { Clock } from '../runner/clock';
import { type ApplicationHandler, type ProgressUpdate, runEncoding } from '../runner/job-runner';
import type { Prompter } from '../runner/prompter';
import { admitEnvelope } from './job-gate';
import type { JobLedger } from './job-ledger';
import { presenceOf } from './presence-report';
import { reconnectWithBackoff } from './reconnect-backoff';
import type { ResultOutbox } from './result-outbox';
import { ResultReporter } from './result-reporter';

/**
 * The agent daemon's job loop: envelopes arrive on the agent's jobs topic (QoS 1,
 * persistent session), pass the gate, run one at a time on the card, and leave as
 * signed results through the durable outbox until the cloud acknowledges them.
 */
export interface AgentDaemonOptions {
  agentId: string;
  mqttUrl: string;
  /** The broker password for username = agent id (per-agent broker policy). */
  mqttPassword?: string;
  keys: Parameters<typeof admitEnvelope>[1]['keys'];
  privateKey: CryptoKey | KeyObject;
  ledger: JobLedger;
  outbox: ResultOutbox;
  readers: ReaderPort;
  defaultReader: string;
  /** How PIN lines reach a person: one Prompter, or one per job (the operator console shows the job). */
  prompter: Prompter | ((job: JobContext) => Prompter);
  clock: Clock;
  handlers?: Partial<Record<'pkcs11' | 'license', ApplicationHandler>>;
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

const CANCELED = { code: 'CANCELED', message: 'cancelled in the cloud before it touched the card' };

export class AgentDaemon {
  private client: MqttClient | undefined;
  private unsubscribeReaders: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private resendTimer: NodeJS.Timeout | undefined;
  private readonly reporter: ResultReporter;

  constructor(private readonly options: AgentDaemonOptions) {
    this.reporter = new ResultReporter({
      agentId: options.agentId,
      privateKey: options.privateKey,
      outbox: options.outbox,
      publish: (topic, payload) => this.client?.publishAsync(topic, payload, { qos: 1 }) ?? Promise.resolve(),
      log: (line) => this.log(line),
    });
  }

  async start(): Promise<void> {
    const { agentId } = this.options;
    // Handlers before the connection: the persistent session delivers jobs that queued
    // up while the agent was away right after CONNACK.
    const offline: Presence = { status: 'offline', at: this.options.clock.isoNow(), readers: [] };
    const client = connect(this.options.mqttUrl, {
      clientId: agentId,
      ...(this.options.mqttPassword ? { username: agentId, password: this.options.mqttPassword } : {}),
      clean: false,
      reconnectPeriod: 1000,
      // The broker announces us offline if we vanish without saying goodbye.
      will: {
        topic: topics.presence(agentId),
        payload: Buffer.from(buildPresenceMessage(offline)),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    reconnectWithBackoff(client, { maxMs: this.options.reconnectMaxMs ?? 30_000 });
    client.on('message', (topic, payload) => {
      // A cancel is taken at once, not behind the job running now: it may be for one queued behind it.
      if (topic === topics.jobs(agentId) && signedMessageType(payload) === JOB_CANCEL_TYPE)
        void this.cancel(payload).catch((error: unknown) =>
          this.log(`cancel message refused: ${(error as { code?: string }).code ?? 'ERROR'}`),
        );
      else if (topic === topics.jobs(agentId))
        this.queue = this.queue
          .then(() => this.handle(payload))
          .catch((error: unknown) =>
            this.log(`a job message could not be handled: ${(error as { code?: string }).code ?? 'ERROR'}`),
          );
      if (topic === topics.acks(agentId)) this.reporter.acknowledge(payload);
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    // A broker that did not keep the session needs the subscriptions again.
    client.on('connect', (ack) => {
      this.log(`connected to ${this.options.mqttUrl}${ack.sessionPresent ? '' : ' (new session)'}`);
      if (!ack.sessionPresent) void this.subscribe();
      this.reporter.flush();
    });
    client.on('offline', () => this.log('broker connection lost; reconnecting with backoff'));
    await this.subscribe();
    this.unsubscribeReaders = this.options.readers.onEvent(() => void this.announce('online'));
    await this.announce('online');
    await this.reportInterrupted();
    this.reporter.flush();
    this.log(`agent ${agentId} online on ${this.options.mqttUrl}, reader "${this.options.defaultReader}"`);
    const resendAfterMs = this.options.resendAfterMs ?? 30_000;
    this.resendTimer = setInterval(() => {
      if (client.connected) this.reporter.flush(resendAfterMs);
    }, resendAfterMs);
    this.resendTimer.unref();
  }

  /**
   * A job the journal shows as started but unfinished was cut off by a crash: it is
   * reported INTERRUPTED and never run again (the card may be half-personalised; a
   * person decides whether to retry — DESIGN, security model).
   */
  private async reportInterrupted(): Promise<void> {
    for (const jti of this.options.ledger.unfinished()) {
      const result: JobResult = {
        ...parseExecutionId(jti),
        agentId: this.options.agentId,
        status: 'INTERRUPTED',
        finishedAt: this.options.clock.isoNow(),
        applications: [],
        error: {
          code: 'AGENT_RESTARTED',
          message: 'the agent stopped while this job was running; it was not run again',
        },
      };
      this.options.ledger.recordResult(jti, result);
      await this.reporter.report(result);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.resendTimer);
    await this.queue;
    this.unsubscribeReaders?.();
    await this.announce('offline').catch(() => undefined);
    await this.client?.endAsync();
  }

  /** Publishes the retained presence with the reader inventory. */
  private async announce(status: Presence['status']): Promise<void> {
    const readers = status === 'online' ? await this.options.readers.readers().catch(() => []) : [];
    const presence = presenceOf(status, readers, this.options.clock.isoNow());
    await this.client?.publishAsync(topics.presence(this.options.agentId), buildPresenceMessage(presence), {
      qos: 1,
      retain: true,
    });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** Waits until every envelope received so far was handled (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async subscribe(): Promise<void> {
    const { agentId } = this.options;
    await this.client?.subscribeAsync([topics.jobs(agentId), topics.acks(agentId)], { qos: 1 });
  }

  private async handle(payload: Buffer): Promise<void> {
    const { options } = this;
    options.trace?.('received');
    const decision = await admitEnvelope(payload, {
      agentId: options.agentId,
      keys: options.keys,
      privateKey: options.privateKey,
      ledger: options.ledger,
      now: () => Math.floor(Date.parse(options.clock.isoNow()) / 1000),
      isoNow: () => options.clock.isoNow(),
    });
    if (decision.kind === 'rejected') return this.reporter.report(decision.result);
    if (decision.kind === 'duplicate') {
      if (decision.result) await this.reporter.report({ ...decision.result, status: 'DUPLICATE' });
      return;
    }
    const { claims, secrets } = decision;
    options.trace?.('admitted', claims.job.id);
    this.log(
      `job ${claims.jti}: accepted (encoding ${claims.job.encoding.id} v${claims.job.encoding.version})`,
    );
    const startedAt = options.clock.isoNow();
    const base = { jobId: claims.job.id, attempt: claims.job.attempt, agentId: options.agentId, startedAt };
    if (options.ledger.isCancelled(claims.jti)) {
      const cancelled: JobResult = {
        ...base,
        status: 'CANCELED',
        finishedAt: startedAt,
        applications: [],
        error: CANCELED,
      };
      options.ledger.recordResult(claims.jti, cancelled);
      return this.reporter.report(cancelled);
    }
    const failed = (code: string, message: string): JobResult => ({
      ...base,
      status: 'FAILED',
      finishedAt: options.clock.isoNow(),
      applications: [],
      error: { code, message },
    });
    const bundle = toBundle(claims.job.bundle);
    const reader = claims.job.reader ?? options.defaultReader;
    const prompter =
      typeof options.prompter === 'function'
        ? options.prompter({ jobId: claims.job.id, reader })
        : options.prompter;
    let result: JobResult;
    if (!bundle) {
      result = failed('BUNDLE_INVALID', 'the bundle in the job does not validate');
    } else {
      try {
        const run = await runEncoding({
          bundle,
          readers: options.readers,
          reader,
          fields: claims.job.fields,
          secrets,
          prompter,
          clock: options.clock,
          ...(options.handlers ? { handlers: options.handlers } : {}),
          onProgress: (update) => this.progress(claims.job.id, claims.job.attempt, update),
        });
        // Cancelled while it waited for its PINs, before it touched the card: CANCELED.
        const untouched = run.applications.every(
          (a) => a.apdus.length === 0 && !(a.steps ?? []).some((step) => step.status === 'DONE'),
        );
        const cancelledBeforeCard = options.ledger.isCancelled(claims.jti) && untouched;
        result = {
          ...base,
          status: cancelledBeforeCard ? 'CANCELED' : run.status,
          finishedAt: options.clock.isoNow(),
          card: run.card,
          applications: run.applications,
          ...(cancelledBeforeCard ? { error: CANCELED } : run.error ? { error: run.error } : {}),
        };
      } catch (error) {
        // A reader that cannot be reached (unknown reader, no card, pcscd down) fails the job with its code.
        const code =
          typeof (error as { code?: unknown }).code === 'string'
            ? String((error as { code: string }).code)
            : 'AGENT_ERROR';
        result = failed(code, error instanceof Error ? error.message : String(error));
      }
    }
    options.trace?.('ran', claims.job.id);
    options.ledger.recordResult(claims.jti, result);
    await this.reporter.report(result);
    options.trace?.('reported', claims.job.id);
  }

  /**
   * A signed cancel from the cloud (verified like an envelope). Recorded unless the job
   * already has a result; a job waiting for its PINs has its prompt withdrawn. A job on
   * the card runs to its end: the agent never stops a card operation half-way.
   */
  private async cancel(payload: Buffer): Promise<void> {
    const { options } = this;
    const claims = await verifyCancelMessage(payload, {
      keys: options.keys,
      audience: options.agentId,
      now: Math.floor(Date.parse(options.clock.isoNow()) / 1000),
    });
    const jti = executionId(claims.cancel.jobId, claims.cancel.attempt);
    this.log(`job ${jti}: cancel received`);
    if (options.ledger.lookup(jti)?.result) return;
    options.ledger.cancel(jti);
    options.onCancel?.(claims.cancel.jobId);
  }

  /**
   * Progress per application (APDUs done/total), QoS 0 and throttled: it informs
   * operators, it is not a record (the result is). The first one moves the job to
   * IN_PROGRESS in the cloud.
   */
  private lastProgress = 0;
  private progress(jobId: string, attempt: number, update: ProgressUpdate): void {
    const now = Date.now();
    const boundary = update.apdusDone === 0 || update.apdusDone === update.apdusTotal;
    if (!boundary && now - this.lastProgress < 250) return;
    this.lastProgress = now;
    const event: ProgressEvent = { jobId, attempt, ...update, at: this.options.clock.isoNow() };
    void this.client
      ?.publishAsync(topics.progress(this.options.agentId), buildProgressMessage(event), { qos: 0 })
      .catch(() => undefined);
  }
}

function toBundle(files: { name: string; base64: string }[]): ValidatedBundle | undefined {
  return validateBundle({
    files: files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
  }).bundle;
}
