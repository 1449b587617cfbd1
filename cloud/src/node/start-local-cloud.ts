import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CLOUD_BROKER_USER } from '@cardfleet/shared';
import { serve } from '@hono/node-server';
import dynalite from 'dynalite';
import { directoryWitness } from '../audit/checkpoint-witness';
import { localIssuer } from '../auth/identity';
import { composeCloud } from '../compose';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { sweepTimedOutJobs } from '../jobs/timeouts';
import { dispatchQueuedJobs } from '../publishing/dispatcher';
import { mqttPublisher } from '../publishing/mqtt-publisher';
import { subscribeResults } from '../publishing/result-subscriber';
import { DynamoTable } from '../storage/dynamo-table';
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
    mqttUrl?: string;
    /** Password of the broker user `cardfleet-cloud`, when the broker authenticates. */
    mqttPassword?: string;
    /** Open jobs with no news for this long become TIMED_OUT (default 30 minutes). */
    jobTimeoutMs?: number;
  } = {},
) {
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
  // With a broker, jobs are published the moment they are queued (the dispatcher below
  // catches what could not be published then).
  const credentials = options.mqttPassword
    ? { username: CLOUD_BROKER_USER, password: options.mqttPassword }
    : {};
  const publisher = options.mqttUrl
    ? await mqttPublisher(options.mqttUrl, { clientId: 'cardfleet-cloud-publish', ...credentials })
    : undefined;
  const cloud = composeCloud({
    table,
    tokens: issuer,
    keyWrapper: localKeyWrapper(keys.masterKey),
    signer,
    ...(publisher ? { publication: { publisher, issuer: 'cardfleet-local' } } : {}),
    // Signed audit checkpoints are witnessed outside the table (docs/security.md).
    audit: { witness: directoryWitness(join(dataDir, 'witness')) },
  });
  // A checkpoint every 10 s besides every 16 entries of a shard (docs/cloud.md, "Auditor").
  const checkpoints = setInterval(() => {
    cloud.audit.checkpoint().catch((error: unknown) => reportError(error));
  }, 10_000);
  const http = serve({ fetch: cloud.app.fetch, port: options.port ?? 8787, hostname: '127.0.0.1' });
  await new Promise((r) => http.once('listening', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  // With a broker: publish queued jobs and ingest results (IoT Core's part in AWS).
  let stopMessaging = async (): Promise<void> => {};
  if (options.mqttUrl && publisher && cloud.publication) {
    const deps = cloud.publication;
    const subscriber = await subscribeResults(
      options.mqttUrl,
      {
        receiveResult: cloud.receiveResult,
        progress: cloud.progress,
        presence: cloud.presence,
        onError: reportError,
      },
      { clientId: 'cardfleet-cloud-ingest', ...credentials },
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
    issuer,
    signer,
    close: async () => {
      clearInterval(checkpoints);
      await stopMessaging();
      http.close();
      client.destroy();
      await stopDynalite();
    },
  };
}

/** A job that cannot be published is reported once per reason, not on every tick. */
const reported = new Set<string>();
function reportOnce(error: unknown, jobId: string): void {
  const key = `${jobId}:${(error as { code?: string }).code ?? 'ERROR'}`;
  if (reported.has(key)) return;
  reported.add(key);
  reportError(error, jobId);
}

/** Errors carry codes and never secrets (house rule), so the code and message are safe to print. */
function reportError(error: unknown, jobId?: string): void {
  const code = (error as { code?: string }).code ?? 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  console.error(`cardfleet-cloud ${code}${jobId ? ` (job ${jobId})` : ''}: ${message}`);
}
