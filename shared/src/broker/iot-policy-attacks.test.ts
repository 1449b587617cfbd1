import { describe, expect, it } from 'vitest';
import { type IotPolicyDocument, iotArn, isAllowed, perStatement, wildcardMatch } from './iot-policy';

/**
 * Attacks on the one IoT policy evaluator (AWS IoT Core Developer Guide, "AWS IoT policy
 * elements"), each failing when the check that stops it is removed
 * (docs/mutation-testing.md).
 */
const scope = { region: 'eu-central-1', account: '123456789012' };
const topic = (name: string) => iotArn(scope, 'topic', name);

describe('IoT policy evaluator attacks', () => {
  it('matches a leading star and trailing stars, and nothing past the pattern’s end', () => {
    expect(wildcardMatch('*b', 'ab')).toBe(true);
    expect(wildcardMatch('*b', 'abc')).toBe(false);
    expect(wildcardMatch('a*', 'a')).toBe(true);
    expect(wildcardMatch('a**', 'abc')).toBe(true);
    expect(wildcardMatch('ab', 'abc')).toBe(false);
    expect(wildcardMatch('abc', 'ab')).toBe(false);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'ac')).toBe(false);
    expect(wildcardMatch('', '')).toBe(true);
    expect(wildcardMatch('', 'a')).toBe(false);
  });

  it('backtracks to the last star only as far as the text allows (no match beyond it)', () => {
    expect(wildcardMatch('*ab', 'aab')).toBe(true);
    expect(wildcardMatch('a*bc', 'abxbc')).toBe(true);
    expect(wildcardMatch('a*bc', 'abxbd')).toBe(false);
    expect(wildcardMatch('root/*/jobs', 'root/a/jobs/x')).toBe(false);
    expect(wildcardMatch('root/*/jobs', 'root//jobs')).toBe(true);
  });

  it('takes actions in any letter case, as IoT Core does, but never another action', () => {
    const documents: IotPolicyDocument[] = [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['IOT:PUBLISH'], Resource: ['*'] }] },
    ];
    expect(isAllowed(documents, 'iot:Publish', topic('a'))).toBe(true);
    expect(isAllowed(documents, 'iot:Subscribe', topic('a'))).toBe(false);
    const deny: IotPolicyDocument[] = [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:*'], Resource: ['*'] }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['iot:publish'], Resource: ['*'] }] },
    ];
    expect(isAllowed(deny, 'iot:Publish', topic('a'))).toBe(false);
    expect(isAllowed(deny, 'iot:Receive', topic('a'))).toBe(true);
  });

  it('allows a statement’s listed actions only where one of them is the action asked', () => {
    const documents: IotPolicyDocument[] = [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [topic('a')] }],
      },
    ];
    expect(isAllowed(documents, 'iot:Publish', topic('a'))).toBe(true);
    expect(isAllowed(documents, 'iot:Receive', topic('a'))).toBe(true);
    expect(isAllowed(documents, 'iot:Subscribe', topic('a'))).toBe(false);
  });

  it('keeps resources case-sensitive: a topic in other letters is another topic', () => {
    const documents: IotPolicyDocument[] = [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['iot:Publish'], Resource: [topic('agents/a/results')] }],
      },
    ];
    expect(isAllowed(documents, 'iot:Publish', topic('agents/a/results'))).toBe(true);
    expect(isAllowed(documents, 'iot:Publish', topic('agents/A/results'))).toBe(false);
  });

  it('lets a Deny in a later statement win over an Allow met first, and needs the action and the resource to match', () => {
    const document: IotPolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iot:Publish'], Resource: [topic('*')] },
        { Effect: 'Deny', Action: ['iot:Publish'], Resource: [topic('cloud/*')] },
        { Effect: 'Deny', Action: ['iot:Receive'], Resource: [topic('open')] },
      ],
    };
    expect(isAllowed([document], 'iot:Publish', topic('cloud/jobs'))).toBe(false);
    expect(isAllowed(perStatement(document), 'iot:Publish', topic('cloud/jobs'))).toBe(false);
    expect(isAllowed([document], 'iot:Publish', topic('open'))).toBe(true);
    expect(perStatement(document)).toEqual(
      document.Statement.map((statement) => ({ Version: '2012-10-17', Statement: [statement] })),
    );
  });
});
