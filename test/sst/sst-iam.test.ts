import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../cloud/src/storage/table-design';
import {
  deploy,
  functions,
  installSstFakes,
  loadSstConfig,
  type Permission,
  SETTINGS,
  STAGE,
  uninstallSstFakes,
} from './sst-fakes';

// The IAM each function of sst.config.ts gets, evaluated with the recording fakes.
const ROOT = `cardfleet/${STAGE}/agents`;
const INDEX = 'Table.arn/index/GSI1';
const AUDIT: Permission[] = [
  { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: ['AuditKey.arn'] },
  { actions: ['s3:GetObject', 's3:PutObject'], resources: ['AuditWitness.arn/checkpoints/*'] },
];
const READ_WRITE: Permission = {
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  resources: ['Table.arn'],
};
const DELETE_OPEN_JOB_MARKERS: Permission = {
  actions: ['dynamodb:DeleteItem'],
  resources: ['Table.arn'],
  conditions: [
    { test: 'ForAllValues:StringEquals', variable: 'dynamodb:LeadingKeys', values: [keys.openJobs] },
  ],
};

const permissionsOf = (name: string) => (functions().get(name)?.permissions ?? []) as Permission[];

beforeAll(async () => {
  installSstFakes();
  await deploy(await loadSstConfig(), SETTINGS);
});
afterAll(uninstallSstFakes);

describe('least-privilege IAM in sst.config.ts', () => {
  it('links no function to the table, since a link grants dynamodb:* on it', () => {
    for (const [name, fn] of functions()) expect(fn.link, name).toBeUndefined();
  });

  it('grants no wildcard action to any function', () => {
    for (const [name, fn] of functions())
      for (const statement of fn.permissions as Permission[])
        for (const action of statement.actions) {
          expect(action, name).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
          expect(action, name).not.toContain('*');
        }
  });

  it('writes each statement in the shape SST takes (FunctionPermissionArgs)', () => {
    for (const [name, fn] of functions())
      for (const statement of fn.permissions as Permission[]) {
        expect(
          Object.keys(statement).every((key) =>
            ['effect', 'actions', 'resources', 'conditions'].includes(key),
          ),
          name,
        ).toBe(true);
        for (const condition of statement.conditions ?? [])
          expect(Object.keys(condition).sort(), name).toEqual(['test', 'values', 'variable']);
      }
  });

  it('grants together exactly the DynamoDB calls the table adapter makes in AWS', () => {
    const source = readFileSync(join(import.meta.dirname, '../../cloud/src/storage/dynamo-table.ts'), 'utf8');
    // CreateTable and DescribeTable run only locally (DynamoTable.ensure, start-local-cloud.ts).
    const called = [...source.matchAll(/new (\w+)Command\(/g)]
      .map((m) => `dynamodb:${m[1]}`)
      .filter((action) => !['dynamodb:CreateTable', 'dynamodb:DescribeTable'].includes(action));
    const granted = [...functions().values()].flatMap((fn) =>
      (fn.permissions as Permission[]).flatMap((s) => s.actions.filter((a) => a.startsWith('dynamodb:'))),
    );
    expect(new Set(granted)).toEqual(new Set(called));
  });

  it('lets the API read, write and delete items and list through the index', () => {
    expect(permissionsOf('Api')).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
        resources: ['Table.arn'],
      },
      { actions: ['dynamodb:Query'], resources: [INDEX] },
      { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['JobSigningKey.arn'] },
      { actions: ['kms:Encrypt', 'kms:Decrypt'], resources: ['SecretsKey.arn'] },
      { actions: ['iot:Publish'], resources: [`arn:aws:iot:*:*:topic/${ROOT}/*/jobs`] },
      ...AUDIT,
    ]);
  });

  it('lets the dispatch function delete open-job markers only, and publish jobs of its stage only', () => {
    expect(permissionsOf('Dispatch')).toEqual([
      READ_WRITE,
      DELETE_OPEN_JOB_MARKERS,
      { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['JobSigningKey.arn'] },
      { actions: ['kms:Decrypt'], resources: ['SecretsKey.arn'] },
      { actions: ['iot:Publish'], resources: [`arn:aws:iot:*:*:topic/${ROOT}/*/jobs`] },
      ...AUDIT,
    ]);
  });

  it('keeps the agent-fed ingestion function from deleting anything but open-job markers, decrypting, or publishing jobs', () => {
    expect(permissionsOf('Ingest')).toEqual([
      READ_WRITE,
      DELETE_OPEN_JOB_MARKERS,
      { actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['JobSigningKey.arn'] },
      { actions: ['iot:Publish'], resources: [`arn:aws:iot:*:*:topic/${ROOT}/*/acks`] },
      { actions: ['sqs:SendMessage'], resources: ['AgentMessagesDeadLetters.arn'] },
      ...AUDIT,
    ]);
  });

  it('lets the IoT authorizer read agent items and nothing else', () => {
    expect(permissionsOf('IotAuthorizer')).toEqual([
      {
        actions: ['dynamodb:GetItem'],
        resources: ['Table.arn'],
        conditions: [
          { test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['AGENT#*'] },
        ],
      },
    ]);
    expect(keys.agent('a-1').PK).toMatch(/^AGENT#/);
  });

  it('publishes only under the stage topic root', () => {
    for (const [name, fn] of functions())
      for (const statement of fn.permissions as Permission[])
        if (statement.actions.some((action) => action.startsWith('iot:')))
          for (const resource of statement.resources)
            expect(resource, name).toMatch(new RegExp(`^arn:aws:iot:\\*:\\*:topic/${ROOT}/\\*/(jobs|acks)$`));
  });
});
