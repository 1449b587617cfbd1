import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { type AgentTopics, agentTopics, CardfleetError } from '@cardfleet/shared';
import { jwksVerifier } from '../auth/jwks-verifier';
import { kmsKeyWrapper } from '../aws/kms-key-wrapper';
import { kmsSigner } from '../aws/kms-signer';
import { s3CheckpointWitness } from '../aws/s3-checkpoint-witness';
import { composeCloud } from '../compose';
import { iotPublisher } from '../publishing/iot-publisher';
import { DynamoTable } from '../storage/dynamo-table';

/**
 * Composition root for AWS: DynamoDB, KMS (signing + envelope encryption) and the
 * organisation's IdP, from the environment sst.config.ts sets on the functions.
 */
type Env = Readonly<Record<string, string | undefined>>;

const needFrom = (env: Env) => (name: string) => {
  const value = env[name];
  if (!value) throw new CardfleetError('CONFIG_MISSING', `environment variable ${name} is not set`);
  return value;
};

/** The stage's topic tree: `TOPIC_ROOT`, `<app>/<stage>/agents` (topicRootFor, set by sst.config.ts). */
export function awsTopics(env: Env = process.env): AgentTopics {
  return agentTopics(needFrom(env)('TOPIC_ROOT'));
}

export async function awsCloud(env: Env = process.env) {
  const need = needFrom(env);
  const kms = new KMSClient({});
  return composeCloud({
    table: new DynamoTable(new DynamoDBClient({}), need('TABLE_NAME')),
    tokens: jwksVerifier(need('IDP_JWKS_URL'), need('IDP_ISSUER'), env.IDP_AUDIENCE ?? 'cardfleet-api'),
    keyWrapper: kmsKeyWrapper(kms, need('SECRETS_KEY_ID')),
    signer: await kmsSigner(kms, need('SIGNING_KEY_ID')),
    // The audit data key has its own KMS key, so ingestion can authenticate audit entries
    // without being able to open secrets; checkpoints go to the Object Lock bucket.
    auditKeyWrapper: kmsKeyWrapper(kms, need('AUDIT_KEY_ID')),
    audit: { witness: s3CheckpointWitness(new S3Client({}), need('WITNESS_BUCKET')) },
    // Jobs go out through IoT Core's data plane the moment they are queued.
    publication: { publisher: iotPublisher(), issuer: env.JOB_ISSUER ?? 'cardfleet', topics: awsTopics(env) },
  });
}
