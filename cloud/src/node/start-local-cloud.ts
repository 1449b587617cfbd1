import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CLOUD_INGEST_USER,
  CLOUD_PUBLISH_USER,
  LOCAL_IOT_SCOPE,
  type Logger,
  topics,
} from '@cardfleet/shared';
import { logLevelOf, pinoLogger } from '@cardfleet/shared/node';
import { serve } from '@hono/node-server';
import dynalite from 'dynalite';
import type { AgentStore } from '../agents/agent-store';
import { directoryWitness } from '../audit/checkpoint-witness';
import { localIssuer } from '../auth/identity';
import { type LocalIdp, localIdpSettings, localIdpVerifier } from '../auth/local-idp';
import { brokerAuthorizer } from '../broker/broker-authorizer';
import { composeCloud } from '../compose';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { consoleSignIn } from '../http/console-config';
import { sweepTimedOutJobs } from '../jobs/timeouts';
import { dispatchQueuedJobs } from '../publishing/dispatcher';
import { mqttPublisher } from '../publishing/mqtt-publisher';
import { subscribeResults } from '../publishing/result-subscriber';
import { DynamoTable } from '../storage/dynamo-table';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker';
import { loadOrCreateLocalKeys } from './local-keys';

/**
 * The cloud on one machine: dynalite with its data on disk, local keys, the API on
 * Node. Used by `npm run cloud` (and by `npm start` once the agent side joins it).
 */
export async function startLocalCloud(
  options: {
    dataDir?: string;
    port?: number;
    dynamoEndpoint?: string;
    /** A broker of its own (an open one, e.g. Mosquitto on loopback). */
    mqttUrl?: string;
    /**
     * Or the embedded Aedes, started here: every client goes through the broker
     * authorizer over this cloud's agent store (agents with logins signed by their
     * enrolled keys; the cloud's publisher and ingest each with a fresh password of its
     * own) — what IoT Core's custom authorizer decides in AWS (docs/messaging.md).
     */
    embeddedBroker?: { port?: number };
    /** Open jobs with no news for this long become TIMED_OUT (default 30 minutes). */
    jobTimeoutMs?: number;
    /**
     * Structured logs (docs/cloud.md, "Logs"). Default: JSON lines on stderr at
     * LOG_LEVEL (info) — stdout stays for what `npm run cloud` and `npm start` print.
     */
    logger?: Logger;
    /**
     * An OpenID provider besides the local issuer (docs/console-sign-in.md): tokens of
     * either are accepted, each checked by its own issuer's keys.
     */
    idp?: LocalIdp;
  } = {},
) {
  const logger =
    options.logger ??
    pinoLogger({
      name: 'cardfleet-cloud',
      level: logLevelOf(process.env.LOG_LEVEL),
      destination: process.stderr,
    });
  const reportError = (error: unknown, jobId?: string) =>
    logger.error('cloud task failed', { err: error, ...(jobId ? { jobId } : {}) });
  /** A job that cannot be published is reported once per reason, not on every tick. */
  const reported = new Set<string>();
  const reportOnce = (error: unknown, jobId: string) => {
    const key = `${jobId}:${(error as { code?: string }).code ?? 'ERROR'}`;
    if (reported.has(key)) return;
    reported.add(key);
    reportError(error, jobId);
  };
  const dataDir = resolve(options.dataDir ?? '.data');
  const jobTimeoutMs = options.jobTimeoutMs ?? 30 * 60_000;
  let endpoint = options.dynamoEndpoint;
  let stopDynalite = async (): Promise<void> => {};
  if (!endpoint) {
    mkdirSync(join(dataDir, 'dynalite'), { recursive: true });
    const server = dynalite({ path: join(dataDir, 'dynalite'), createTableMs: 0 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stopDynalite = () => new Promise<void>((r) => server.close(() => r()));
  }
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = new DynamoTable(client, 'cardfleet');
  await table.ensure();
  const keys = await loadOrCreateLocalKeys(join(dataDir, 'keys'));
  const issuer = await localIssuer(keys.issuer);
  const signer = await localSigner(keys.signing.kid, keys.signing);
  // The embedded broker comes first (the cloud's clients connect to it); it asks the
  // agent store, composed below, once agents connect.
  let agents: AgentStore | undefined;
  const passwords: Record<string, string> = {
    [CLOUD_PUBLISH_USER]: randomBytes(18).toString('base64url'),
    [CLOUD_INGEST_USER]: randomBytes(18).toString('base64url'),
  };
  const broker: EmbeddedBroker | undefined = options.embeddedBroker
    ? await startEmbeddedBroker({
        ...(options.embeddedBroker.port === undefined ? {} : { port: options.embeddedBroker.port }),
        authorize: brokerAuthorizer({
          agents: { get: async (id) => agents?.get(id, { presence: false }) },
          topics,
          scope: LOCAL_IOT_SCOPE,
          nowSeconds: () => Math.floor(Date.now() / 1000),
          servicePasswords: passwords,
          onRefusal: (reason, username) => logger.warn('broker login refused', { username, reason }),
        }),
      })
    : undefined;
  const mqttUrl = broker?.url ?? options.mqttUrl;
  // Each cloud client its own broker user, client id = user name.
  const login = (user: string) =>
    broker ? { clientId: user, username: user, password: passwords[user] ?? '' } : { clientId: user };
  // With a broker, jobs are published the moment they are queued (the dispatcher below
  // catches what could not be published then).
  const publisher = mqttUrl ? await mqttPublisher(mqttUrl, login(CLOUD_PUBLISH_USER)) : undefined;
  const signIn = consoleSignIn({
    ...(options.idp ? { idp: localIdpSettings(options.idp) } : {}),
    localLinks: true,
  });
  const cloud = composeCloud({
    table,
    tokens: options.idp ? localIdpVerifier(options.idp, issuer) : issuer,
    keyWrapper: localKeyWrapper(keys.masterKey),
    signer,
    ...(publisher ? { publication: { publisher, issuer: 'cardfleet-local' } } : {}),
    // Signed audit checkpoints are witnessed outside the table (docs/security.md).
    audit: { witness: directoryWitness(join(dataDir, 'witness')) },
    // A revoked agent leaves the embedded broker at once; its authorizer refuses it from
    // then on (docs/security.md, "Revocation").
    ...(broker ? { onAgentRevoked: (agentId: string) => void broker.disconnect(agentId) } : {}),
    logger,
    serveMetrics: true,
    // Locally people sign in with the links `npm start` prints, or at the IdP when one is set (docs/console.md).
    console: { config: signIn },
    ...(publisher ? { brokerConnected: () => publisher.connected?.() ?? true } : {}),
  });
  agents = cloud.agents;
  // A checkpoint every 10 s besides every 16 entries of a shard (docs/cloud.md, "Auditor").
  const checkpoints = setInterval(() => {
    cloud.audit.checkpoint().catch((error: unknown) => reportError(error));
  }, 10_000);
  const http = serve({ fetch: cloud.app.fetch, port: options.port ?? 8787, hostname: '127.0.0.1' });
  await new Promise((r) => http.once('listening', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  logger.info('cloud started', { url, ...(mqttUrl ? { mqttUrl } : {}), dataDir });
  // With a broker: publish queued jobs and ingest results (IoT Core's part in AWS).
  let stopMessaging = async (): Promise<void> => {};
  if (mqttUrl && publisher && cloud.publication) {
    const deps = cloud.publication;
    const subscriber = await subscribeResults(
      mqttUrl,
      {
        receiveResult: cloud.receiveResult,
        progress: cloud.progress,
        presence: cloud.presence,
        batch: cloud.batch,
        onError: reportError,
      },
      login(CLOUD_INGEST_USER),
    );
    let inFlight: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      if (inFlight) return;
      inFlight = dispatchQueuedJobs(deps, (jobId, error) => reportOnce(error, jobId), 2000)
        .then(() => sweepTimedOutJobs(cloud.jobs, Date.now(), jobTimeoutMs))
        .catch((error) => reportError(error))
        .finally(() => {
          inFlight = undefined;
        });
    }, 2000);
    stopMessaging = async () => {
      clearInterval(timer);
      await inFlight;
      await publisher.close();
      await subscriber.endAsync();
      await subscriber.idle();
    };
  }
  return {
    url,
    cloud,
    logger,
    issuer,
    signer,
    /** The console's sign-in document (cloud/src/http/console-config.ts). */
    signIn,
    /** The broker's URL (the embedded one's, or `mqttUrl`). */
    mqttUrl,
    /** The embedded broker (its `disconnect(clientId)` ends a connection at once). */
    broker,
    close: async () => {
      clearInterval(checkpoints);
      await stopMessaging();
      await broker?.close();
      http.close();
      client.destroy();
      await stopDynalite();
    },
  };
}
