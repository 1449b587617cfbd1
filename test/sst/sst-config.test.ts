import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../cloud/src/storage/table-design';

/**
 * sst.config.ts evaluated with recording fakes of SST's globals (the sst CLI downloads
 * Pulumi at start and cannot run here). Each fake accepts only the argument names the
 * component's own source defines — sst/sst platform/src/components/aws/dynamo.ts
 * (DynamoArgs) and function.ts (FunctionArgs), and the Pulumi AWS provider's
 * kms.Key, iot.TopicRule and lambda.Permission arguments — so a misspelt argument fails.
 */
const ALLOWED: Record<string, readonly string[]> = {
  'sst.aws.Dynamo': ['fields', 'primaryIndex', 'globalIndexes', 'localIndexes', 'stream', 'ttl', 'transform'],
  'sst.aws.Function': [
    'handler',
    'runtime',
    'memory',
    'timeout',
    'environment',
    'link',
    'permissions',
    'url',
    'architecture',
    'name',
    'description',
    'bundle',
    'nodejs',
    'logging',
    'vpc',
    'layers',
    'streaming',
    'copyFiles',
    'dev',
    'transform',
    'role',
    'policies',
    'retries',
    'versioning',
  ],
  'aws.kms.Key': [
    'description',
    'keyUsage',
    'customerMasterKeySpec',
    'deletionWindowInDays',
    'enableKeyRotation',
    'policy',
    'tags',
    'multiRegion',
    'isEnabled',
  ],
  'aws.iot.TopicRule': [
    'name',
    'enabled',
    'sql',
    'sqlVersion',
    'lambdas',
    'description',
    'errorAction',
    'tags',
  ],
  'aws.lambda.Permission': ['action', 'function', 'principal', 'sourceArn', 'sourceAccount', 'statementId'],
  // The Pulumi AWS provider's s3 BucketV2, BucketVersioningV2, BucketObjectLockConfigurationV2
  // and BucketPublicAccessBlock arguments.
  'aws.s3.BucketV2': ['bucket', 'bucketPrefix', 'forceDestroy', 'objectLockEnabled', 'tags'],
  'aws.s3.BucketVersioningV2': ['bucket', 'versioningConfiguration', 'expectedBucketOwner', 'mfa'],
  'aws.s3.BucketObjectLockConfigurationV2': [
    'bucket',
    'objectLockEnabled',
    'rule',
    'expectedBucketOwner',
    'token',
  ],
  'aws.s3.BucketPublicAccessBlock': [
    'bucket',
    'blockPublicAcls',
    'blockPublicPolicy',
    'ignorePublicAcls',
    'restrictPublicBuckets',
  ],
  // sst/sst platform/src/components/aws/cron.ts (CronArgs)
  'sst.aws.Cron': ['schedule', 'function', 'job', 'task', 'event', 'enabled', 'transform'],
};

interface Recorded {
  type: string;
  name: string;
  args: Record<string, unknown>;
}

const recorded: Recorded[] = [];
function fake(type: string) {
  return class {
    readonly name: string;
    readonly arn: string;
    readonly url: string;
    readonly id: string;
    readonly bucket: string;
    constructor(name: string, args: Record<string, unknown>) {
      const unknown = Object.keys(args).filter((key) => !ALLOWED[type]?.includes(key));
      if (unknown.length > 0) throw new Error(`${type} "${name}": unknown argument(s) ${unknown.join(', ')}`);
      recorded.push({ type, name, args });
      this.name = `${name}.name`;
      this.arn = `${name}.arn`;
      this.url = `${name}.url`;
      this.id = `${name}.id`;
      this.bucket = `${name}.bucket`;
    }
  };
}

const globals = globalThis as Record<string, unknown>;
let config: {
  app(input?: { stage?: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown>>;
};
let outputs: Record<string, unknown>;
const of = (type: string, name: string) =>
  recorded.find((r) => r.type === type && r.name === name)?.args ?? {};

beforeAll(async () => {
  globals.$config = (c: unknown) => c;
  globals.$interpolate = (parts: TemplateStringsArray, ...values: unknown[]) =>
    parts.reduce((text, part, i) => `${text}${part}${i < values.length ? String(values[i]) : ''}`, '');
  globals.sst = {
    aws: { Dynamo: fake('sst.aws.Dynamo'), Function: fake('sst.aws.Function'), Cron: fake('sst.aws.Cron') },
  };
  globals.aws = {
    kms: { Key: fake('aws.kms.Key') },
    iot: { TopicRule: fake('aws.iot.TopicRule') },
    lambda: { Permission: fake('aws.lambda.Permission') },
    s3: {
      BucketV2: fake('aws.s3.BucketV2'),
      BucketVersioningV2: fake('aws.s3.BucketVersioningV2'),
      BucketObjectLockConfigurationV2: fake('aws.s3.BucketObjectLockConfigurationV2'),
      BucketPublicAccessBlock: fake('aws.s3.BucketPublicAccessBlock'),
    },
  };
  config = (await import('../../sst.config')).default as typeof config;
  outputs = await config.run();
});
afterAll(() => {
  for (const name of ['$config', '$interpolate', 'sst', 'aws']) delete globals[name];
});

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

  it('creates the table with the keys and index the code uses', () => {
    expect(of('sst.aws.Dynamo', 'Table')).toEqual({
      fields: { PK: 'string', SK: 'string', GSI1PK: 'string', GSI1SK: 'string' },
      primaryIndex: { hashKey: TABLE.partitionKey, rangeKey: TABLE.sortKey },
      globalIndexes: { GSI1: { hashKey: TABLE.gsi1.partitionKey, rangeKey: TABLE.gsi1.sortKey } },
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

  it('runs the API and ingestion functions from files that exist, with least-privilege links', () => {
    const api = of('sst.aws.Function', 'Api');
    const ingest = of('sst.aws.Function', 'Ingest');
    for (const fn of [api, ingest]) {
      const [file] = String(fn.handler).split('.handler');
      expect(existsSync(join(import.meta.dirname, '../..', `${file}.ts`))).toBe(true);
      expect(fn.link).toEqual([expect.objectContaining({ name: 'Table.name' })]);
    }
    expect(api.url).toBe(true);
    expect(api.permissions).toEqual([
      { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['JobSigningKey.arn'] },
      { actions: ['kms:Encrypt', 'kms:Decrypt'], resources: ['SecretsKey.arn'] },
      { actions: ['iot:Publish'], resources: ['arn:aws:iot:*:*:topic/cardfleet/agents/*/jobs'] },
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: ['AuditKey.arn'] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: ['AuditWitness.arn/checkpoints/*'] },
    ]);
    expect(ingest.permissions).toEqual([
      { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['JobSigningKey.arn'] },
      { actions: ['iot:Publish'], resources: ['arn:aws:iot:*:*:topic/cardfleet/agents/*/acks'] },
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: ['AuditKey.arn'] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: ['AuditWitness.arn/checkpoints/*'] },
    ]);
    expect(outputs).toEqual({ api: 'Api.url', table: 'Table.name', auditWitness: 'AuditWitness.bucket' });
  });

  it('runs the dispatch function every minute, allowed to publish jobs and nothing else', () => {
    const cron = of('sst.aws.Cron', 'Dispatch');
    expect(cron.schedule).toBe('rate(1 minute)');
    const fn = cron.function as { handler: string; permissions: unknown[]; link: unknown[] };
    const [file] = fn.handler.split('.handler');
    expect(existsSync(join(import.meta.dirname, '../..', `${file}.ts`))).toBe(true);
    expect(fn.link).toEqual([expect.objectContaining({ name: 'Table.name' })]);
    expect(fn.permissions).toEqual([
      { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['JobSigningKey.arn'] },
      { actions: ['kms:Decrypt'], resources: ['SecretsKey.arn'] },
      { actions: ['iot:Publish'], resources: ['arn:aws:iot:*:*:topic/cardfleet/agents/*/jobs'] },
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: ['AuditKey.arn'] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: ['AuditWitness.arn/checkpoints/*'] },
    ]);
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
    expect(of('sst.aws.Function', 'Api').environment).toMatchObject({
      AUDIT_KEY_ID: 'AuditKey.arn',
      WITNESS_BUCKET: 'AuditWitness.bucket',
    });
  });

  it('feeds the agents result topics to the ingestion function through an IoT rule', () => {
    expect(of('aws.iot.TopicRule', 'ResultsRule')).toMatchObject({
      sql: "SELECT encode(*, 'base64') AS payload, topic(3) AS agentId, topic(4) AS kind FROM 'cardfleet/agents/+/+' WHERE topic(4) = 'results' OR topic(4) = 'progress' OR topic(4) = 'presence'",
      lambdas: [{ functionArn: 'Ingest.arn' }],
    });
    expect(of('aws.lambda.Permission', 'IotInvokesIngest')).toEqual({
      action: 'lambda:InvokeFunction',
      function: 'Ingest.name',
      principal: 'iot.amazonaws.com',
      sourceArn: 'ResultsRule.arn',
    });
  });

  it('refuses an argument SST does not define', () => {
    const Dynamo = fake('sst.aws.Dynamo');
    expect(() => new Dynamo('Bad', { fields: {}, primaryIndex: {}, globalIndex: {} })).toThrow(
      'unknown argument(s) globalIndex',
    );
  });
});
