import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../cloud/src/storage/table-design';
import {
  deploy,
  fake,
  functions,
  installSstFakes,
  loadSstConfig,
  argsOf as of,
  SETTINGS,
  type SstConfig,
  STAGE,
  uninstallSstFakes,
} from './sst-fakes';

// sst.config.ts evaluated with recording fakes of SST's globals (sst-fakes.ts).
let config: SstConfig;
let outputs: Record<string, unknown>;
const ROOT = `cardfleet/${STAGE}/agents`;

beforeAll(async () => {
  installSstFakes();
  config = await loadSstConfig();
  outputs = await deploy(config, SETTINGS);
});
afterAll(uninstallSstFakes);

describe('sst.config.ts', () => {
  it('names the app and keeps production resources', () => {
    expect(config.app({ stage: 'production' })).toMatchObject({
      name: 'cardfleet',
      removal: 'retain',
      protect: true,
      home: 'aws',
    });
    expect(config.app({ stage: 'dev' })).toMatchObject({ removal: 'remove', protect: false });
  });

  it('creates the table with the keys and index the code uses, expiring items by their expiresAt', () => {
    expect(of('sst.aws.Dynamo', 'Table')).toEqual({
      fields: { PK: 'string', SK: 'string', GSI1PK: 'string', GSI1SK: 'string' },
      primaryIndex: { hashKey: TABLE.partitionKey, rangeKey: TABLE.sortKey },
      globalIndexes: { GSI1: { hashKey: TABLE.gsi1.partitionKey, rangeKey: TABLE.gsi1.sortKey } },
      ttl: 'expiresAt',
    });
  });

  it('creates an ES256 signing key and a symmetric secrets key in KMS', () => {
    expect(of('aws.kms.Key', 'JobSigningKey')).toMatchObject({
      keyUsage: 'SIGN_VERIFY',
      customerMasterKeySpec: 'ECC_NIST_P256',
    });
    expect(of('aws.kms.Key', 'SecretsKey')).toMatchObject({
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    });
  });

  it('runs every function from a file that exists, on Node 22', () => {
    const all = functions();
    expect([...all.keys()].sort()).toEqual(['Api', 'BatchNext', 'Dispatch', 'Ingest', 'IotAuthorizer']);
    for (const [name, fn] of all) {
      const [file] = String(fn.handler).split('.handler');
      expect(existsSync(join(import.meta.dirname, '../..', `${file}.ts`)), `${name}: ${file}.ts`).toBe(true);
      expect(fn.runtime, name).toBe('nodejs22.x');
    }
    expect(of('sst.aws.Function', 'Api').url).toBe(true);
    // /docs reads Swagger UI's files from the package at run time (cloud/src/http/docs-page.ts).
    expect(of('sst.aws.Function', 'Api').nodejs).toEqual({ install: ['swagger-ui-dist'] });
    // The web console's build travels beside the handler, which serves it at /console/.
    expect(of('sst.aws.Function', 'Api').copyFiles).toEqual([{ from: 'cloud/dist/console', to: 'console' }]);
    // Above the live routes' 10 s hold (docs/console-live-progress.md).
    expect(of('sst.aws.Function', 'Api').timeout).toBe('30 seconds');
    expect(of('sst.aws.Cron', 'Dispatch').schedule).toBe('rate(1 minute)');
  });

  it('gives each function the topic root of its stage and the looked-up IoT data endpoint, no empty setting', () => {
    expect(of('aws.iot.getEndpoint', 'lookup')).toEqual({ endpointType: 'iot:Data-ATS' });
    for (const [name, fn] of functions()) {
      const env = fn.environment as Record<string, string>;
      expect(env.TOPIC_ROOT, name).toBe(ROOT);
      for (const [variable, value] of Object.entries(env)) expect(value, `${name} ${variable}`).not.toBe('');
    }
    for (const name of ['Api', 'Dispatch', 'Ingest'])
      expect(functions().get(name)?.environment).toEqual({
        TABLE_NAME: 'Table.name',
        AUDIT_KEY_ID: 'AuditKey.arn',
        WITNESS_BUCKET: 'AuditWitness.bucket',
        SIGNING_KEY_ID: 'JobSigningKey.arn',
        SECRETS_KEY_ID: 'SecretsKey.arn',
        IDP_JWKS_URL: SETTINGS.CARDFLEET_IDP_JWKS_URL,
        IDP_ISSUER: SETTINGS.CARDFLEET_IDP_ISSUER,
        IDP_AUDIENCE: 'cardfleet-api',
        IOT_DATA_ENDPOINT: 'endpoint-of(iot:Data-ATS)',
        TOPIC_ROOT: ROOT,
      });
    expect(functions().get('IotAuthorizer')?.environment).toEqual({
      TABLE_NAME: 'Table.name',
      TOPIC_ROOT: ROOT,
    });
  });

  it('feeds what agents send under the stage root to the ingestion function, the topic levels counted from the root', () => {
    expect(of('aws.iot.TopicRule', 'ResultsRule')).toMatchObject({
      sql:
        `SELECT encode(*, 'base64') AS payload, topic(4) AS agentId, topic(5) AS kind FROM '${ROOT}/+/+' ` +
        "WHERE topic(5) = 'results' OR topic(5) = 'progress' OR topic(5) = 'presence'",
      sqlVersion: '2016-03-23',
      lambdas: [{ functionArn: 'Ingest.arn' }],
    });
    expect(of('aws.lambda.Permission', 'IotInvokesIngest')).toEqual({
      action: 'lambda:InvokeFunction',
      function: 'Ingest.name',
      principal: 'iot.amazonaws.com',
      sourceArn: 'ResultsRule.arn',
    });
  });

  it('sends what the rule or the ingestion function cannot deliver to an encrypted dead-letter queue', () => {
    expect(of('aws.sqs.Queue', 'AgentMessagesDeadLetters')).toEqual({
      messageRetentionSeconds: 1_209_600,
      sqsManagedSseEnabled: true,
    });
    expect(of('aws.iot.TopicRule', 'ResultsRule').errorAction).toEqual({
      sqs: { queueUrl: 'AgentMessagesDeadLetters.url', roleArn: 'AgentRuleErrorRole.arn', useBase64: false },
    });
    expect(JSON.parse(String(of('aws.iam.Role', 'AgentRuleErrorRole').assumeRolePolicy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'iot.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        },
      ],
    });
    const send = of('aws.iam.RolePolicy', 'AgentRuleErrorSend');
    expect(send.role).toBe('AgentRuleErrorRole.id');
    expect(JSON.parse(String(send.policy)).Statement).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'AgentMessagesDeadLetters.arn' },
    ]);
    expect(of('aws.lambda.FunctionEventInvokeConfig', 'IngestFailures')).toEqual({
      functionName: 'Ingest.name',
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: 'AgentMessagesDeadLetters.arn' } },
    });
  });

  it('lets agents connect through a per-stage custom authorizer that only IoT Core may invoke', () => {
    expect(of('aws.iot.Authorizer', 'AgentAuthorizer')).toEqual({
      name: `cardfleet-${STAGE}-agents`,
      authorizerFunctionArn: 'IotAuthorizer.arn',
      signingDisabled: true,
      status: 'ACTIVE',
      enableCachingForHttp: false,
    });
    expect(of('aws.lambda.Permission', 'IotInvokesAuthorizer')).toEqual({
      action: 'lambda:InvokeFunction',
      function: 'IotAuthorizer.name',
      principal: 'iot.amazonaws.com',
      sourceArn: 'AgentAuthorizer.arn',
    });
    // IoT Core waits 5 seconds for a custom authorizer's answer.
    expect(of('sst.aws.Function', 'IotAuthorizer').timeout).toBe('5 seconds');
  });

  it('witnesses audit checkpoints in a private, write-once bucket, and keeps the audit data key apart', () => {
    expect(of('aws.s3.BucketV2', 'AuditWitness')).toEqual({ objectLockEnabled: true });
    expect(of('aws.s3.BucketVersioningV2', 'AuditWitnessVersioning')).toEqual({
      bucket: 'AuditWitness.id',
      versioningConfiguration: { status: 'Enabled' },
    });
    expect(of('aws.s3.BucketObjectLockConfigurationV2', 'AuditWitnessLock')).toEqual({
      bucket: 'AuditWitness.id',
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: 10 } },
    });
    expect(of('aws.s3.BucketPublicAccessBlock', 'AuditWitnessPrivate')).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(of('aws.kms.Key', 'AuditKey')).toMatchObject({ keyUsage: 'ENCRYPT_DECRYPT' });
  });

  it('outputs what an operator and an agent configuration need', () => {
    expect(outputs).toEqual({
      api: 'Api.url',
      table: 'Table.name',
      auditWitness: 'AuditWitness.bucket',
      iotEndpoint: 'endpoint-of(iot:Data-ATS)',
      iotAuthorizer: 'AgentAuthorizer.name',
      topicRoot: ROOT,
      deadLetters: 'AgentMessagesDeadLetters.url',
    });
  });

  it('refuses an argument SST does not define', () => {
    const Dynamo = fake('sst.aws.Dynamo');
    expect(() => new Dynamo('Bad', { fields: {}, primaryIndex: {}, globalIndex: {} })).toThrow(
      'unknown argument(s) globalIndex',
    );
  });
});
