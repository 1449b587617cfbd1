// SST app (https://sst.dev, v4): the cloud side of cardfleet on AWS.
// Resources: one DynamoDB table (keys and index from cloud/src/storage/table-design.ts),
// the API function (Hono's Lambda adapter) with a Function URL, the result-ingestion
// function fed by an IoT topic rule on the agents' result topics, and two KMS keys
// (ES256 job signing; envelope encryption of secrets), the audit data key's KMS key and the
// audit checkpoint witness (an S3 bucket with Object Lock). Links and permissions are the
// least each function needs. test/sst/sst-config.test.ts evaluates this file with
// recording fakes of SST's globals (the sst CLI cannot run on the build machines).
// A scheduled dispatch function publishes what was not published when queued.
const JOBS_TOPICS = 'arn:aws:iot:*:*:topic/cardfleet/agents/*/jobs';
// What agents send — results (or their parts), progress, presence — with the raw
// payload and the topic's agent, to the ingestion function.
const AGENT_RULE_SQL =
  "SELECT encode(*, 'base64') AS payload, topic(3) AS agentId, topic(4) AS kind FROM 'cardfleet/agents/+/+' " +
  "WHERE topic(4) = 'results' OR topic(4) = 'progress' OR topic(4) = 'presence'";

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
    const { TABLE } = await import('./cloud/src/storage/table-design');
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
    // Every function appends audit entries and may make a checkpoint.
    const auditPermissions = [
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: [auditKey.arn] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: [$interpolate`${witness.arn}/checkpoints/*`] },
    ];
    const environment = {
      TABLE_NAME: table.name,
      AUDIT_KEY_ID: auditKey.arn,
      WITNESS_BUCKET: witness.bucket,
      SIGNING_KEY_ID: signingKey.arn,
      SECRETS_KEY_ID: secretsKey.arn,
      IDP_JWKS_URL: process.env.CARDFLEET_IDP_JWKS_URL ?? '',
      IDP_ISSUER: process.env.CARDFLEET_IDP_ISSUER ?? '',
      // The account's IoT data endpoint (`aws iot describe-endpoint --endpoint-type iot:Data-ATS`).
      IOT_DATA_ENDPOINT: process.env.CARDFLEET_IOT_DATA_ENDPOINT ?? '',
    };
    const api = new sst.aws.Function('Api', {
      handler: 'cloud/src/lambda/api.handler',
      runtime: 'nodejs20.x',
      url: true,
      link: [table],
      environment,
      permissions: [
        { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
        { actions: ['kms:Encrypt', 'kms:Decrypt'], resources: [secretsKey.arn] },
        // Jobs are published to the agents' jobs topics the moment they are queued.
        { actions: ['iot:Publish'], resources: [JOBS_TOPICS] },
        ...auditPermissions,
      ],
    });
    // Every minute: publish what could not be published when queued, send pending
    // cancels, time out open jobs with no news.
    new sst.aws.Cron('Dispatch', {
      schedule: 'rate(1 minute)',
      function: {
        handler: 'cloud/src/lambda/dispatch.handler',
        runtime: 'nodejs20.x',
        link: [table],
        environment,
        permissions: [
          { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
          { actions: ['kms:Decrypt'], resources: [secretsKey.arn] },
          { actions: ['iot:Publish'], resources: [JOBS_TOPICS] },
          ...auditPermissions,
        ],
      },
    });
    const ingest = new sst.aws.Function('Ingest', {
      handler: 'cloud/src/lambda/ingest.handler',
      runtime: 'nodejs20.x',
      link: [table],
      environment,
      // Ingestion signs audit heads and reads the KMS public key; it never decrypts. It
      // acknowledges results on the agents' acks topics and may publish nowhere else.
      permissions: [
        { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [signingKey.arn] },
        { actions: ['iot:Publish'], resources: ['arn:aws:iot:*:*:topic/cardfleet/agents/*/acks'] },
        ...auditPermissions,
      ],
    });
    const resultsRule = new aws.iot.TopicRule('ResultsRule', {
      enabled: true,
      // The raw message (whole result or a numbered part) and the agent of the topic.
      sql: AGENT_RULE_SQL,
      sqlVersion: '2016-03-23',
      lambdas: [{ functionArn: ingest.arn }],
    });
    new aws.lambda.Permission('IotInvokesIngest', {
      action: 'lambda:InvokeFunction',
      function: ingest.name,
      principal: 'iot.amazonaws.com',
      sourceArn: resultsRule.arn,
    });
    return { api: api.url, table: table.name, auditWitness: witness.bucket };
  },
});
