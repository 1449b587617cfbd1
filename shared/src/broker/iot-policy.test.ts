import { describe, expect, it } from 'vitest';
import { type IotPolicyDocument, iotArn, isAllowed, parsePolicyDocuments, wildcardMatch } from './iot-policy';

const scope = { region: 'eu-central-1', account: '123456789012' };
const topic = (name: string) => iotArn(scope, 'topic', name);
const filter = (name: string) => iotArn(scope, 'topicfilter', name);

const policy = (...Statement: IotPolicyDocument['Statement']): IotPolicyDocument[] => [
  { Version: '2012-10-17', Statement },
];

describe('IoT policy evaluation (the one evaluator of authorizer policies)', () => {
  it('denies what no statement allows', () => {
    expect(isAllowed([], 'iot:Connect', iotArn(scope, 'client', 'a'))).toBe(false);
    const documents = policy({ Effect: 'Allow', Action: ['iot:Publish'], Resource: [topic('a/b')] });
    expect(isAllowed(documents, 'iot:Publish', topic('a/b'))).toBe(true);
    expect(isAllowed(documents, 'iot:Receive', topic('a/b'))).toBe(false);
    expect(isAllowed(documents, 'iot:Publish', topic('a/c'))).toBe(false);
    expect(isAllowed(documents, 'iot:Publish', filter('a/b'))).toBe(false);
  });

  it('lets an explicit Deny win over any Allow, in any document', () => {
    const documents = [
      ...policy({ Effect: 'Allow', Action: ['iot:*'], Resource: ['*'] }),
      ...policy({ Effect: 'Deny', Action: ['iot:Publish'], Resource: [topic('secret/*')] }),
    ];
    expect(isAllowed(documents, 'iot:Publish', topic('open'))).toBe(true);
    expect(isAllowed(documents, 'iot:Publish', topic('secret/x'))).toBe(false);
    expect(isAllowed(documents, 'iot:Receive', topic('secret/x'))).toBe(true);
  });

  it('matches * over any characters, / included, and ? over one; + and # are literal', () => {
    const documents = policy(
      { Effect: 'Allow', Action: ['iot:Receive'], Resource: [topic('root/*/results')] },
      { Effect: 'Allow', Action: ['iot:Subscribe'], Resource: [filter('root/+/results')] },
      { Effect: 'Allow', Action: ['iot:Connect'], Resource: [iotArn(scope, 'client', 'agent-?')] },
    );
    expect(isAllowed(documents, 'iot:Receive', topic('root/a/results'))).toBe(true);
    expect(isAllowed(documents, 'iot:Receive', topic('root/a/b/results'))).toBe(true);
    expect(isAllowed(documents, 'iot:Receive', topic('root/a/jobs'))).toBe(false);
    expect(isAllowed(documents, 'iot:Subscribe', filter('root/+/results'))).toBe(true);
    // A filter resource names the filter itself: `+` in the policy is no wildcard.
    expect(isAllowed(documents, 'iot:Subscribe', filter('root/a/results'))).toBe(false);
    expect(isAllowed(documents, 'iot:Subscribe', filter('root/#'))).toBe(false);
    expect(isAllowed(documents, 'iot:Connect', iotArn(scope, 'client', 'agent-1'))).toBe(true);
    expect(isAllowed(documents, 'iot:Connect', iotArn(scope, 'client', 'agent-12'))).toBe(false);
  });

  it('lets a Deny match a resource holding a literal *, so the Deny is not bypassed', () => {
    const documents = [
      ...policy({ Effect: 'Allow', Action: ['iot:Publish'], Resource: [topic('*')] }),
      ...policy({ Effect: 'Deny', Action: ['iot:Publish'], Resource: [topic('secret/*')] }),
    ];
    expect(isAllowed(documents, 'iot:Publish', topic('secret/*/x'))).toBe(false);
    expect(wildcardMatch('a*c', 'a*c')).toBe(true);
    expect(wildcardMatch('a*', 'a*b')).toBe(true);
    expect(wildcardMatch('*b', '**b')).toBe(true);
  });

  it('names the account and region in every resource: another account’s ARN is not allowed', () => {
    const documents = policy({ Effect: 'Allow', Action: ['iot:Publish'], Resource: [topic('a')] });
    expect(
      isAllowed(documents, 'iot:Publish', iotArn({ ...scope, account: '999999999999' }, 'topic', 'a')),
    ).toBe(false);
  });

  it('reads documents as objects or JSON text and refuses malformed ones', () => {
    const document = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'x' }],
    };
    expect(parsePolicyDocuments([document, JSON.stringify(document)])).toEqual([
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Publish'], Resource: ['x'] }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Publish'], Resource: ['x'] }] },
    ]);
    expect(parsePolicyDocuments(['{'])).toBeUndefined();
    expect(parsePolicyDocuments([{ ...document, Version: '2008-10-17' }])).toBeUndefined();
    expect(
      parsePolicyDocuments([{ ...document, Statement: [{ Effect: 'Maybe', Action: 'a', Resource: 'b' }] }]),
    ).toBeUndefined();
  });

  it('matches globs in time linear in the text for a pattern of many stars', () => {
    const started = performance.now();
    expect(wildcardMatch(`${'*a'.repeat(40)}b`, 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(wildcardMatch('a*b*c', 'a-x-b-y-c')).toBe(true);
    expect(wildcardMatch('a*b*c', 'a-x-c-y-b')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('?', '')).toBe(false);
  });
});
