import {
  type AgentTopics,
  BATCH_MESSAGE_TYPE,
  brokerClientId,
  buildPresenceMessage,
  JOB_CANCEL_TYPE,
  type Logger,
  topics as localTopics,
  type Presence,
  signedMessageType,
} from '@cardfleet/shared';
import { connect, type MqttClient } from 'mqtt';
import type { ReaderPort } from '../readers/reader-port';
import type { Clock } from '../runner/clock';
import type { BrokerLogin } from './broker-credential';
import { presenceOf } from './presence-report';
import { reconnectWithBackoff } from './reconnect-backoff';

/**
 * The agent's MQTT session (docs/messaging.md, "Sessions"): client id = agent id with a
 * persistent session (`clean: false`), so jobs published while the agent was away wait
 * at the broker; a retained offline presence as last will; reconnects with backoff;
 * subscriptions again when the broker kept no session. It routes what arrives — job
 * envelopes, cancels, acknowledgements — to its owner and announces the agent online
 * with its reader inventory on connect and whenever a reader changes.
 */
export interface AgentSessionOptions {
  agentId: string;
  mqttUrl: string;
  /**
   * How to log in (username = client id = agent id): a password asked anew for every
   * (re)connect (broker-credential.ts). None: an open broker.
   */
  login?: BrokerLogin;
  /** The topic tree (default: the local one). */
  topics?: AgentTopics;
  /** Longest wait between reconnect attempts (backoff from 1 s; default 30 s). */
  reconnectMaxMs?: number;
  readers: ReaderPort;
  clock: Clock;
  logger: Logger;
  onJob: (payload: Buffer) => void;
  onCancel: (payload: Buffer) => void;
  onAck: (payload: Buffer) => void;
  /** A signed batch message (docs/batches.md). */
  onBatch?: (payload: Buffer) => void;
  /** After every reconnect (not the first connect): the outbox is published again. */
  onReconnect: () => void;
  /** The agent's version and when its daemon started: in every presence it announces. */
  agent?: { version: string; startedAt: string; dryRunCard?: boolean };
}

export class AgentSession {
  private client: MqttClient | undefined;
  private unsubscribeReaders: (() => void) | undefined;

  constructor(private readonly options: AgentSessionOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const { agentId, mqttUrl, login, clock, logger } = this.options;
    const topics = this.topics;
    // The dry-run card is the agent's, not its connection's: the last will keeps saying so.
    const offline: Presence = {
      status: 'offline',
      at: clock.isoNow(),
      ...(this.options.agent?.dryRunCard ? { dryRunCard: true as const } : {}),
      readers: [],
    };
    const client = connect(mqttUrl, {
      clientId: brokerClientId(agentId, topics),
      ...(login ? { username: login.username, password: login.password() } : {}),
      clean: false,
      reconnectPeriod: 1000,
      // IoT Core takes custom-authenticated MQTT on port 443 only with TLS ALPN `mqtt`
      // (AWS IoT Core Developer Guide, "Protocols, port mappings, and authentication").
      ...(/^mqtts:\/\/[^/]+:443(\/|$)/.test(mqttUrl) ? { ALPNProtocols: ['mqtt'] } : {}),
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
    // mqtt.js sends options.password again on every reconnect and builds the CONNECT
    // right after emitting 'reconnect': a fresh login for each connection.
    if (login)
      client.on('reconnect', () => {
        try {
          client.options.password = login.password();
        } catch (error) {
          logger.warn('broker login not renewed', { code: (error as { code?: string }).code ?? 'ERROR' });
        }
      });
    // Handlers before the connection: the persistent session delivers jobs that queued
    // up while the agent was away right after CONNACK.
    client.on('message', (topic, payload) => this.route(topic, payload));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    client.on('connect', (ack) => {
      logger.info(`connected to ${mqttUrl}${ack.sessionPresent ? '' : ' (new session)'}`, {
        mqttUrl,
        sessionPresent: ack.sessionPresent,
      });
      // A broker that did not keep the session needs the subscriptions again.
      if (!ack.sessionPresent) void this.subscribe();
      // The last will may have said offline while we were away.
      void this.announce('online').catch(() => undefined);
      this.options.onReconnect();
    });
    client.on('offline', () => logger.warn('broker connection lost; reconnecting with backoff', { mqttUrl }));
    await this.subscribe();
    this.unsubscribeReaders = this.options.readers.onEvent(() => void this.announce('online'));
    await this.announce('online');
  }

  /** QoS 1 publish; resolves on PUBACK. */
  async publish(topic: string, payload: string): Promise<void> {
    await this.client?.publishAsync(topic, payload, { qos: 1 });
  }

  /** QoS 0, best effort: a lost message is not missed. */
  publishBestEffort(topic: string, payload: string): void {
    void this.client?.publishAsync(topic, payload, { qos: 0 }).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.unsubscribeReaders?.();
    // Only while connected: a QoS 1 publish waits for a reconnect, which never comes when
    // the broker refused the agent (revoked); its last will has said offline already.
    if (this.connected) await this.announce('offline').catch(() => undefined);
    await this.client?.endAsync();
  }

  private get topics(): AgentTopics {
    return this.options.topics ?? localTopics;
  }

  private route(topic: string, payload: Buffer): void {
    const kind = messageKind(this.options.agentId, topic, payload, this.topics);
    if (kind === 'cancel') this.options.onCancel(payload);
    else if (kind === 'job') this.options.onJob(payload);
    else if (kind === 'ack') this.options.onAck(payload);
    else if (kind === 'batch') this.options.onBatch?.(payload);
  }

  private async subscribe(): Promise<void> {
    const { agentId } = this.options;
    await this.client?.subscribeAsync([this.topics.jobs(agentId), this.topics.acks(agentId)], { qos: 1 });
  }

  /** Publishes the retained presence with the reader inventory. */
  private async announce(status: Presence['status']): Promise<void> {
    const readers = status === 'online' ? await this.options.readers.readers().catch(() => []) : [];
    const presence = presenceOf(status, readers, this.options.clock.isoNow(), this.options.agent);
    await this.client?.publishAsync(
      this.topics.presence(this.options.agentId),
      buildPresenceMessage(presence),
      {
        qos: 1,
        retain: true,
      },
    );
  }
}

/**
 * What arrived, by topic and, on the jobs topic, by the JWS `typ`: a cancel is taken at
 * once, not behind the job running now — it may be for one queued behind it.
 */
export function messageKind(
  agentId: string,
  topic: string,
  payload: Uint8Array,
  topics: AgentTopics = localTopics,
): 'job' | 'cancel' | 'batch' | 'ack' | undefined {
  if (topic === topics.jobs(agentId)) {
    const typ = signedMessageType(payload);
    return typ === JOB_CANCEL_TYPE ? 'cancel' : typ === BATCH_MESSAGE_TYPE ? 'batch' : 'job';
  }
  if (topic === topics.acks(agentId)) return 'ack';
  return undefined;
}
