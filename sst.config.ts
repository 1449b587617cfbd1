// SST app (https://sst.dev, v4): the cloud side of cardfleet on AWS. docs/deploy.md says
// what each resource is, which settings a deploy needs and what an agent's configuration
// needs to connect. Resources: one DynamoDB table (keys and index from
// cloud/src/storage/table-design.ts, TTL on `expiresAt`), the API function (Hono's Lambda
// adapter) with a Function URL, the ingestion function fed by an IoT topic rule on what
// agents send (failures to a dead-letter queue), a scheduled dispatch function, the IoT
// Core custom authorizer through which agents connect, three KMS keys (ES256 job signing;
// envelope encryption of secrets; the audit data key) and the audit checkpoint witness (an
// S3 bucket with Object Lock). Every function's IAM statements are written out below:
// the DynamoDB actions its code calls and nothing else (no `link`, which grants
// `dynamodb:*`). test/sst/sst-config.test.ts evaluates this file with recording fakes of
// SST's globals (the sst CLI cannot run on the build machines).

/** Deploy-time settings (the deploying shell's environment): a missing one stops the deploy. */
function deploySettings(env: Readonly<Record<string, string | undefined>>) {
  const required = ['CARDFLEET_IDP_JWKS_URL', 'CARDFLEET_IDP_ISSUER'];
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length > 0)
    throw new Error(`cardfleet: set ${missing.join(', ')} before deploying (docs/deploy.md, "Settings")`);
  const jwksUrl = (env.CARDFLEET_IDP_JWKS_URL as string).trim();
  // The functions fetch the IdP's signing keys from here: over plain HTTP the network chooses them.
  if (!/^https:\/\/[^/\s]+/.test(jwksUrl))
    throw new Error('cardfleet: CARDFLEET_IDP_JWKS_URL must be an https:// URL (docs/deploy.md, "Settings")');
  return {
    IDP_JWKS_URL: jwksUrl,
    IDP_ISSUER: (env.CARDFLEET_IDP_ISSUER as string).trim(),
    IDP_AUDIENCE: env.CARDFLEET_IDP_AUDIENCE?.trim() || 'cardfleet-api',
    // The claim mapping and the console's public client, passed on only when set
    // (docs/console-sign-in.md, "Settings"); run() checks them before any resource.
    ...Object.fromEntries(
      IDP_OPTIONAL.flatMap((name) => {
        const value = env[`CARDFLEET_IDP_${name}`]?.trim();
        return value ? [[`IDP_${name}`, value]] : [];
      }),
    ),
  };
}

const IDP_OPTIONAL = [
  'ROLE_CLAIM',
  'ROLE_MAP',
  'OFFICE_CLAIM',
  'SUBJECT_CLAIM',
  'CLIENT_ID',
  'SCOPES',
  'RESOURCE',
];

/**
 * The rule on what agents send under `root` (`<app>/<stage>/agents/<agentId>/<kind>`):
 * the raw message, base64, with the topic's agent and kind. The positions of the agent
 * and kind levels follow the root's depth (AWS IoT SQL reference, "topic(number)").
 */
function agentRuleSql(root: string, kinds: readonly string[]): string {
  const depth = root.split('/').length;
  const agent = `topic(${depth + 1})`;
  const kind = `topic(${depth + 2})`;
  const which = kinds.map((k) => `${kind} = '${k}'`).join(' OR ');
  return `SELECT encode(*, 'base64') AS payload, ${agent} AS agentId, ${kind} AS kind FROM '${root}/+/+' WHERE ${which}`;
}

export default $config({
  app(input) {
    return {
      name: 'cardfleet',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
      home: 'aws',
    };
  },
  async run() {
    // First, before any resource: a deploy without its settings stops here.
    const idp = deploySettings(process.env);
    const { readClaimMapping, readConsoleClient } = await import('./cloud/src/auth/idp-settings');
    readClaimMapping(idp, 'IDP_');
    readConsoleClient(idp, 'IDP_');
    const { TABLE, keys } = await import('./cloud/src/storage/table-design');
    const { topicRootFor } = await import('./shared/src/messages/topics');
    // One IoT endpoint serves every stage of an account: each stage has its own topic tree.
    const topicRoot = topicRootFor($app.name, $app.stage);
    const runtime = 'nodejs22.x';
    const account = aws.getCallerIdentityOutput({}).accountId;
    // Looked up, not configured: the account's ATS data endpoint in the deploy's region.
    const iotEndpoint = aws.iot.getEndpointOutput({ endpointType: 'iot:Data-ATS' }).endpointAddress;

    const table = new sst.aws.Dynamo('Table', {
      fields: {
        [TABLE.partitionKey]: 'string',
        [TABLE.sortKey]: 'string',
        [TABLE.gsi1.partitionKey]: 'string',
        [TABLE.gsi1.sortKey]: 'string',
      },
      primaryIndex: { hashKey: TABLE.partitionKey, rangeKey: TABLE.sortKey },
      globalIndexes: {
        [TABLE.gsi1.name]: { hashKey: TABLE.gsi1.partitionKey, rangeKey: TABLE.gsi1.sortKey },
      },
      // Enrolment codes and result message parts carry `expiresAt` (epoch seconds). TTL
      // deletion lags expiry (DynamoDB TTL), so an enrolment code is also checked when read.
      ttl: 'expiresAt',
    });
    const signingKey = new aws.kms.Key('JobSigningKey', {
      description: 'cardfleet: ES256 signatures of job envelopes and audit chain heads',
      keyUsage: 'SIGN_VERIFY',
      customerMasterKeySpec: 'ECC_NIST_P256',
    });
    const secretsKey = new aws.kms.Key('SecretsKey', {
      description: 'cardfleet: envelope encryption of secrets at rest',
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
    });
    // The audit data key (HMAC of every audit entry, docs/security.md) under its own key,
    // so the ingestion function can authenticate entries without opening secrets.
    const auditKey = new aws.kms.Key('AuditKey', {
      description: 'cardfleet: wraps the audit data key that authenticates audit entries',
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
    });
    // The checkpoint witness: write once (Object Lock, compliance mode), so a table writer
    // cannot put an older checkpoint back unnoticed (docs/security.md).
    const witness = new aws.s3.BucketV2('AuditWitness', { objectLockEnabled: true });
    new aws.s3.BucketVersioningV2('AuditWitnessVersioning', {
      bucket: witness.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new aws.s3.BucketObjectLockConfigurationV2('AuditWitnessLock', {
      bucket: witness.id,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: 10 } },
    });
    new aws.s3.BucketPublicAccessBlock('AuditWitnessPrivate', {
      bucket: witness.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    // DynamoDB, action by action (cloud/src/storage/dynamo-table.ts calls GetItem, PutItem,
    // DeleteItem and Query; CreateTable/DescribeTable only locally). Only the API lists
    // through GSI1. Dispatch and ingestion delete open-job markers and nothing else.
    const index = $interpolate`${table.arn}/index/${TABLE.gsi1.name}`;
    const readWrite = {
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      resources: [table.arn],
    };
    const deleteOpenJobMarkers = {
      actions: ['dynamodb:DeleteItem'],
      resources: [table.arn],
      conditions: [
        { test: 'ForAllValues:StringEquals', variable: 'dynamodb:LeadingKeys', values: [keys.openJobs] },
      ],
    };
    // Every function appends audit entries and may make a checkpoint.
    const audit = [
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: [auditKey.arn] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: [$interpolate`${witness.arn}/checkpoints/*`] },
    ];
    const topics = (kind: string) => `arn:aws:iot:*:*:topic/${topicRoot}/*/${kind}`;
    const environment = {
      TABLE_NAME: table.name,
      AUDIT_KEY_ID: auditKey.arn,
      WITNESS_BUCKET: witness.bucket,
      SIGNING_KEY_ID: signingKey.arn,
      SECRETS_KEY_ID: secretsKey.arn,
      ...idp,
      IOT_DATA_ENDPOINT: iotEndpoint,
      TOPIC_ROOT: topicRoot,
    };

    const api = new sst.aws.Function('Api', {
      handler: 'cloud/src/lambda/api.handler',
      runtime,
      url: true,
      // /docs serves Swagger UI's files from this package at run time (cloud/src/http/docs-page.ts):
      // left out of the bundle and installed into the function's node_modules (SST, `nodejs.install`).
      nodejs: { install: ['swagger-ui-dist'] },
      // The web console's build (`npm run build`, also run by `npm ci`) travels beside the
      // handler; the app serves it at /console/ (cloud/src/http/console-routes.ts).
      copyFiles: [{ from: 'cloud/dist/console', to: 'console' }],
      // The live routes hold a request up to 10 s for a change (docs/console-live-progress.md).
      timeout: '30 seconds',
      environment,
      permissions: [
        {
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
          resources: [table.arn],
        },
        { actions: ['dynamodb:Query'], resources: [index] },
        { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
        { actions: ['kms:Encrypt', 'kms:Decrypt'], resources: [secretsKey.arn] },
        // Jobs are published to the agents' jobs topics the moment they are queued.
        { actions: ['iot:Publish'], resources: [topics('jobs')] },
        ...audit,
      ],
    });
    // Every minute: publish what could not be published when queued, send pending
    // cancels, time out open jobs with no news.
    new sst.aws.Cron('Dispatch', {
      schedule: 'rate(1 minute)',
      function: {
        handler: 'cloud/src/lambda/dispatch.handler',
        runtime,
        environment,
        permissions: [
          readWrite,
          deleteOpenJobMarkers,
          { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
          { actions: ['kms:Decrypt'], resources: [secretsKey.arn] },
          { actions: ['iot:Publish'], resources: [topics('jobs')] },
          ...audit,
        ],
      },
    });

    // Where what agents send goes when it cannot be delivered: the rule's error action
    // (IoT could not invoke the function) and the function's own asynchronous failures
    // after Lambda's retries. A queue keeps each message 14 days for inspection and
    // replay, and its depth can raise an alarm (docs/deploy.md, "Undeliverable messages").
    const deadLetters = new aws.sqs.Queue('AgentMessagesDeadLetters', {
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });
    const ingest = new sst.aws.Function('Ingest', {
      handler: 'cloud/src/lambda/ingest.handler',
      runtime,
      environment,
      // Agent-fed: ingestion reads, writes and deletes open-job markers; it signs audit
      // heads and never decrypts. It acknowledges results on the agents' acks topics and
      // may publish nowhere else.
      permissions: [
        readWrite,
        deleteOpenJobMarkers,
        { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
        { actions: ['iot:Publish'], resources: [topics('acks')] },
        { actions: ['sqs:SendMessage'], resources: [deadLetters.arn] },
        ...audit,
      ],
    });
    new aws.lambda.FunctionEventInvokeConfig('IngestFailures', {
      functionName: ingest.name,
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: deadLetters.arn } },
    });
    // The role IoT Core takes to write to the dead-letter queue (rules of this account only).
    const ruleRole = new aws.iam.Role('AgentRuleErrorRole', {
      assumeRolePolicy: $jsonStringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'iot.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
        ],
      }),
    });
    new aws.iam.RolePolicy('AgentRuleErrorSend', {
      role: ruleRole.id,
      policy: $jsonStringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetters.arn }],
      }),
    });
    /** A topic rule that hands the agents' messages on these topics to one function (failures to the dead letters). */
    const agentRule = (rule: string, permission: string, kinds: string[], fn: typeof ingest) => {
      const topicRule = new aws.iot.TopicRule(rule, {
        enabled: true,
        // The raw message and the agent of the topic.
        sql: agentRuleSql(topicRoot, kinds),
        sqlVersion: '2016-03-23',
        lambdas: [{ functionArn: fn.arn }],
        errorAction: { sqs: { queueUrl: deadLetters.url, roleArn: ruleRole.arn, useBase64: false } },
      });
      new aws.lambda.Permission(permission, {
        action: 'lambda:InvokeFunction',
        function: fn.name,
        principal: 'iot.amazonaws.com',
        sourceArn: topicRule.arn,
      });
    };
    // A result (whole or a numbered part), progress and presence go to ingestion.
    agentRule('ResultsRule', 'IotInvokesIngest', ['results', 'progress', 'presence'], ingest);

    // A card of an open batch asks for its job (docs/batches.md): its own function, since
    // making the card's job opens the batch's sealed CSV row and seals the job's secret
    // fields — rights ingestion does not have — and publishes on the agents' jobs topics.
    const batchNext = new sst.aws.Function('BatchNext', {
      handler: 'cloud/src/lambda/batch-next.handler',
      runtime,
      environment,
      permissions: [
        readWrite,
        // A card asked for twice at once: the second job is cancelled (its open-job marker goes).
        deleteOpenJobMarkers,
        { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
        { actions: ['kms:Encrypt', 'kms:Decrypt'], resources: [secretsKey.arn] },
        { actions: ['iot:Publish'], resources: [topics('jobs')] },
        { actions: ['sqs:SendMessage'], resources: [deadLetters.arn] },
        ...audit,
      ],
    });
    agentRule('BatchRule', 'IotInvokesBatchNext', ['batch'], batchNext);

    // Agents connect through IoT Core's custom authorizer: MQTT username names it, the
    // password carries the agent's signed token (docs/deploy.md, "Connecting an agent").
    // It reads agent items (AGENT#<id>) and nothing else; IoT Core gives it 5 seconds.
    const authorizerFunction = new sst.aws.Function('IotAuthorizer', {
      handler: 'cloud/src/lambda/iot-authorizer.handler',
      runtime,
      timeout: '5 seconds',
      environment: { TABLE_NAME: table.name, TOPIC_ROOT: topicRoot },
      permissions: [
        {
          actions: ['dynamodb:GetItem'],
          resources: [table.arn],
          conditions: [
            { test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['AGENT#*'] },
          ],
        },
      ],
    });
    // Named per stage (names are unique per account and region); not the account's default
    // authorizer, which every stage would claim in turn — agents name it instead.
    const authorizer = new aws.iot.Authorizer('AgentAuthorizer', {
      name: `${$app.name}-${$app.stage}-agents`,
      authorizerFunctionArn: authorizerFunction.arn,
      // The token is the MQTT password, checked by the function against the enrolled key;
      // IoT Core's token signing would need one signing key for every agent.
      signingDisabled: true,
      status: 'ACTIVE',
      enableCachingForHttp: false,
    });
    new aws.lambda.Permission('IotInvokesAuthorizer', {
      action: 'lambda:InvokeFunction',
      function: authorizerFunction.name,
      principal: 'iot.amazonaws.com',
      sourceArn: authorizer.arn,
    });

    return {
      api: api.url,
      table: table.name,
      auditWitness: witness.bucket,
      iotEndpoint,
      iotAuthorizer: authorizer.name,
      topicRoot,
      deadLetters: deadLetters.url,
    };
  },
});
