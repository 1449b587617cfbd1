import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { type AgentTopics, agentTopics } from '@cardfleet/shared';
import { logLevelOf, pinoLogger } from '@cardfleet/shared/node';
import { jwksVerifier } from '../auth/jwks-verifier';
import { kmsKeyWrapper } from '../aws/kms-key-wrapper';
import { kmsSigner } from '../aws/kms-signer';
import { s3CheckpointWitness } from '../aws/s3-checkpoint-witness';
import { composeCloud } from '../compose';
import { consoleSignIn } from '../http/console-config';
import { cloudMetrics } from '../observability/cloud-metrics';
import { embeddedMetricEmitter } from '../observability/embedded-metric-format';
import { iotPublisher } from '../publishing/iot-publisher';
import { DynamoTable } from '../storage/dynamo-table';
import { readLambdaSettings, readTopicRoot } from './lambda-settings';

type Env = Readonly<Record<string, string | undefined>>;

/** The stage's topic tree: `TOPIC_ROOT`, `<app>/<stage>/agents` (topicRootFor, set by sst.config.ts). */
export function awsTopics(env: Env = process.env): AgentTopics {
  return agentTopics(readTopicRoot(env));
}

/**
 * Composition root for AWS: DynamoDB, KMS (signing + envelope encryption) and the
 * organisation's IdP, from the environment sst.config.ts sets on the functions — read
 * and checked once, at cold start (lambda-settings.ts).
 */
export async function awsCloud(env: Env = process.env) {
  const settings = readLambdaSettings(env);
  const kms = new KMSClient({});
  return composeCloud({
    table: new DynamoTable(new DynamoDBClient({}), settings.tableName),
    tokens: jwksVerifier(
      settings.idp.jwksUrl,
      settings.idp.issuer,
      settings.idp.audience,
      undefined,
      settings.idp.mapping,
    ),
    keyWrapper: kmsKeyWrapper(kms, settings.kms.secrets),
    signer: await kmsSigner(kms, settings.kms.signing),
    // The audit data key has its own KMS key, so ingestion can authenticate audit entries
    // without being able to open secrets; checkpoints go to the Object Lock bucket.
    auditKeyWrapper: kmsKeyWrapper(kms, settings.kms.audit),
    audit: { witness: s3CheckpointWitness(new S3Client({}), settings.witnessBucket) },
    // Jobs go out through IoT Core's data plane the moment they are queued, on the
    // account's ATS data endpoint (the SDK's default host is not one).
    publication: {
      publisher: iotPublisher(new IoTDataPlaneClient({ endpoint: `https://${settings.iotDataEndpoint}` })),
      issuer: settings.jobIssuer,
      topics: awsTopics(env),
    },
    // JSON lines on stdout: Lambda sends them to CloudWatch Logs, which also extracts the
    // embedded-metric-format lines as metrics (docs/cloud.md, "Metrics").
    logger: pinoLogger({ name: 'cardfleet-cloud', level: logLevelOf(env.LOG_LEVEL) }),
    // Ingest writes in another function, and the Api function URL buffers each answer
    // whole: the live routes poll the item and answer one event per request, holding a
    // request up to 10 s for a change (the Api function's timeout, 30 s in sst.config.ts,
    // stays above it) — a long poll in SSE form
    // (docs/console-live-progress.md, "On AWS").
    live: { pollMs: 1000, buffered: { holdMs: 10_000 } },
    // The console beside the handler (sst.config.ts `copyFiles`); people sign in at the IdP.
    console: {
      directory: join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'console'),
      config: consoleSignIn({ idp: settings.idp, localLinks: false }),
    },
    metrics: cloudMetrics({
      onCount: embeddedMetricEmitter((line) => process.stdout.write(`${line}\n`), Date.now),
    }),
  });
}
