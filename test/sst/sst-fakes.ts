/**
 * sst.config.ts evaluated with recording fakes of SST's globals (the sst CLI downloads
 * Pulumi at start and cannot run here). Each fake accepts only the argument names the
 * component's own source defines — sst/sst platform/src/components/aws/dynamo.ts
 * (DynamoArgs), function.ts (FunctionArgs) and cron.ts (CronArgs), and the Pulumi AWS
 * provider's arguments for the others — so a misspelt argument fails.
 */
export const ALLOWED: Record<string, readonly string[]> = {
  'sst.aws.Dynamo': [
    'fields',
    'primaryIndex',
    'globalIndexes',
    'localIndexes',
    'stream',
    'ttl',
    'deletionProtection',
    'transform',
  ],
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
    'concurrency',
    'tags',
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
    'sqs',
    'description',
    'errorAction',
    'tags',
  ],
  'aws.iot.Authorizer': [
    'authorizerFunctionArn',
    'enableCachingForHttp',
    'name',
    'signingDisabled',
    'status',
    'tags',
    'tokenKeyName',
    'tokenSigningPublicKeys',
  ],
  'aws.lambda.Permission': ['action', 'function', 'principal', 'sourceArn', 'sourceAccount', 'statementId'],
  'aws.lambda.FunctionEventInvokeConfig': [
    'functionName',
    'destinationConfig',
    'maximumEventAgeInSeconds',
    'maximumRetryAttempts',
    'qualifier',
  ],
  'aws.sqs.Queue': [
    'name',
    'namePrefix',
    'messageRetentionSeconds',
    'sqsManagedSseEnabled',
    'kmsMasterKeyId',
    'kmsDataKeyReusePeriodSeconds',
    'visibilityTimeoutSeconds',
    'delaySeconds',
    'maxMessageSize',
    'receiveWaitTimeSeconds',
    'redrivePolicy',
    'policy',
    'tags',
  ],
  'aws.iam.Role': [
    'assumeRolePolicy',
    'name',
    'namePrefix',
    'description',
    'maxSessionDuration',
    'path',
    'permissionsBoundary',
    'forceDetachPolicies',
    'tags',
  ],
  'aws.iam.RolePolicy': ['role', 'policy', 'name', 'namePrefix'],
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
  'sst.aws.Cron': ['schedule', 'function', 'job', 'task', 'event', 'enabled', 'transform'],
};

export interface Recorded {
  type: string;
  name: string;
  args: Record<string, unknown>;
}

/** One IAM statement as SST's FunctionPermissionArgs takes it. */
export interface Permission {
  effect?: 'allow' | 'deny';
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** The stage the tests deploy: every topic must sit under `cardfleet/<stage>/agents`. */
export const STAGE = 'qa';

/** The deploying shell's settings (docs/deploy.md, "Settings"). */
export const SETTINGS = {
  CARDFLEET_IDP_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  CARDFLEET_IDP_ISSUER: 'https://idp.example.com/',
};

export const recorded: Recorded[] = [];

export function fake(type: string) {
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

const GLOBALS = ['$app', '$config', '$interpolate', '$jsonStringify', 'sst', 'aws'] as const;
const globals = globalThis as Record<string, unknown>;

/** Installs the fakes; `uninstallSstFakes` removes them. */
export function installSstFakes(): void {
  globals.$app = { name: 'cardfleet', stage: STAGE };
  globals.$config = (c: unknown) => c;
  globals.$interpolate = (parts: TemplateStringsArray, ...values: unknown[]) =>
    parts.reduce((text, part, i) => `${text}${part}${i < values.length ? String(values[i]) : ''}`, '');
  globals.$jsonStringify = (value: unknown) => JSON.stringify(value);
  globals.sst = {
    aws: { Dynamo: fake('sst.aws.Dynamo'), Function: fake('sst.aws.Function'), Cron: fake('sst.aws.Cron') },
  };
  globals.aws = {
    getCallerIdentityOutput: () => ({ accountId: '111122223333' }),
    kms: { Key: fake('aws.kms.Key') },
    iot: {
      TopicRule: fake('aws.iot.TopicRule'),
      Authorizer: fake('aws.iot.Authorizer'),
      // The data-plane endpoint lookup, recorded like a resource so a test sees its type.
      getEndpointOutput: (args: Record<string, unknown>) => {
        recorded.push({ type: 'aws.iot.getEndpoint', name: 'lookup', args });
        return { endpointAddress: `endpoint-of(${String(args.endpointType)})` };
      },
    },
    iam: { Role: fake('aws.iam.Role'), RolePolicy: fake('aws.iam.RolePolicy') },
    lambda: {
      Permission: fake('aws.lambda.Permission'),
      FunctionEventInvokeConfig: fake('aws.lambda.FunctionEventInvokeConfig'),
    },
    sqs: { Queue: fake('aws.sqs.Queue') },
    s3: {
      BucketV2: fake('aws.s3.BucketV2'),
      BucketVersioningV2: fake('aws.s3.BucketVersioningV2'),
      BucketObjectLockConfigurationV2: fake('aws.s3.BucketObjectLockConfigurationV2'),
      BucketPublicAccessBlock: fake('aws.s3.BucketPublicAccessBlock'),
    },
  };
}

export function uninstallSstFakes(): void {
  for (const name of GLOBALS) delete globals[name];
}

export interface SstConfig {
  app(input?: { stage?: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown>>;
}

export async function loadSstConfig(): Promise<SstConfig> {
  return (await import('../../sst.config')).default as SstConfig;
}

/** Runs the config with exactly `settings` as the deploy settings; what it created is in `recorded`. */
/** The optional IdP settings (claim mapping, console client), cleared around each deploy too. */
const IDP_OPTIONAL_SETTINGS = [
  'ROLE_CLAIM',
  'ROLE_MAP',
  'OFFICE_CLAIM',
  'SUBJECT_CLAIM',
  'CLIENT_ID',
  'SCOPES',
  'RESOURCE',
].map((name) => `CARDFLEET_IDP_${name}`);

export async function deploy(config: SstConfig, settings: Record<string, string>) {
  const saved = Object.fromEntries(
    [...Object.keys({ ...SETTINGS, CARDFLEET_IDP_AUDIENCE: '' }), ...IDP_OPTIONAL_SETTINGS].map((name) => [
      name,
      process.env[name],
    ]),
  );
  for (const name of Object.keys(saved)) delete process.env[name];
  Object.assign(process.env, settings);
  recorded.length = 0;
  try {
    return await config.run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The arguments of one recorded resource. */
export const argsOf = (type: string, name: string) =>
  recorded.find((r) => r.type === type && r.name === name)?.args ?? {};

/** Every function the config creates (Cron's included), by name, with its arguments. */
export function functions(): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const r of recorded) {
    if (r.type === 'sst.aws.Function') found.set(r.name, r.args);
    if (r.type === 'sst.aws.Cron') found.set(r.name, r.args.function as Record<string, unknown>);
  }
  return found;
}
