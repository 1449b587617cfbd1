import { describe, expect, it } from 'vitest';
import { iotArn, isAllowed, LOCAL_IOT_SCOPE } from '../broker/iot-policy';
import {
  brokerPrincipal,
  CLOUD_INGEST_USER,
  CLOUD_PUBLISH_USER,
  isBrokerUsername,
  mayPublish,
  maySubscribe,
  mosquittoAcl,
  observerUser,
  principalPolicy,
} from './broker-policy';
import { topics } from './topics';

const receives = (username: string, topic: string) =>
  isAllowed([principalPolicy(username)], 'iot:Receive', iotArn(LOCAL_IOT_SCOPE, 'topic', topic));

/**
 * Attacks on the local brokers' topic policy (shared/src/messages/broker-policy.ts), each
 * failing when the check that stops it is removed (docs/mutation-testing.md).
 */
describe('broker policy attacks', () => {
  it('refuses agent names that are empty, too long, start with a symbol or hold separators', () => {
    expect(isBrokerUsername('a')).toBe(true);
    expect(isBrokerUsername(`a${'b'.repeat(127)}`)).toBe(true);
    for (const name of [
      '',
      `a${'b'.repeat(128)}`,
      '-agent',
      '.agent',
      'agent/x',
      'x agent',
      'agent\n',
      'a+',
      'a#',
    ])
      expect(isBrokerUsername(name), JSON.stringify(name)).toBe(false);
  });

  it("refuses a cloud publication with a wildcard, or outside the agents' tree", () => {
    expect(mayPublish(CLOUD_PUBLISH_USER, topics.jobs('a'))).toBe(true);
    expect(mayPublish(CLOUD_PUBLISH_USER, 'cardfleet/agents/+/jobs')).toBe(false);
    expect(mayPublish(CLOUD_PUBLISH_USER, 'cardfleet/agents/a/#')).toBe(false);
    expect(mayPublish(CLOUD_PUBLISH_USER, 'cardfleet/agents')).toBe(false);
    expect(mayPublish(CLOUD_PUBLISH_USER, 'cardfleet/agentsX/a/jobs')).toBe(false);
    expect(mayPublish(CLOUD_PUBLISH_USER, 'other/cardfleet/agents/a/jobs')).toBe(false);
    expect(maySubscribe(CLOUD_INGEST_USER, 'cardfleet/agentsX/#')).toBe(false);
    expect(maySubscribe(CLOUD_INGEST_USER, 'cardfleet/agents/+/progress')).toBe(true);
  });

  it("refuses an agent writing another agent's topics or the cloud's, and a name that merely contains it", () => {
    expect(mayPublish('agent-1', topics.results('agent-10'))).toBe(false);
    expect(mayPublish('agent-1', `${topics.results('agent-1')}/x`)).toBe(false);
    expect(maySubscribe('agent-1', `${topics.jobs('agent-1')}/#`)).toBe(false);
    expect(maySubscribe('agent-1', topics.presence('agent-1'))).toBe(false);
    expect(maySubscribe('agent-1', topics.progress('agent-1'))).toBe(false);
  });

  it('renders exactly the same rules as a Mosquitto ACL, and no more', () => {
    expect(mosquittoAcl(topics, [CLOUD_PUBLISH_USER, 'agent-1'])).toBe(
      [
        `user ${CLOUD_PUBLISH_USER}`,
        'topic write cardfleet/agents/+/jobs',
        '',
        'pattern read cardfleet/agents/%u/jobs',
        'pattern read cardfleet/agents/%u/acks',
        'pattern write cardfleet/agents/%u/results',
        'pattern write cardfleet/agents/%u/progress',
        'pattern write cardfleet/agents/%u/presence',
        'pattern write cardfleet/agents/%u/batch',
        '',
      ].join('\n'),
    );
  });

  it('names no principal for a username with wildcards or separators, even under the observer prefix', () => {
    for (const name of [`${observerUser('spy')}/#`, `${observerUser('a')}+`, 'agent/1', '', 'a'.repeat(129)])
      expect(brokerPrincipal(name), JSON.stringify(name)).toBeUndefined();
    expect(principalPolicy(`${observerUser('spy')}/#`).Statement).toEqual([
      { Effect: 'Deny', Action: ['iot:*'], Resource: ['*'] },
    ]);
  });

  it('takes the bare observer prefix for nobody, and a long agent id for an agent, not an observer', () => {
    expect(brokerPrincipal(observerUser(''))).toBeUndefined();
    expect(brokerPrincipal(observerUser('spy'))).toEqual({ kind: 'observer', name: 'spy' });
    const longAgent = 'agent-berlin-with-a-long-name-1';
    expect(brokerPrincipal(longAgent)).toEqual({ kind: 'agent', agentId: longAgent });
    expect(brokerPrincipal('cardfleet-cloud-publisher')).toBeUndefined();
  });

  it('gives a principal it does not know one Deny of everything, never an empty statement list', () => {
    expect(principalPolicy('cardfleet-nobody')).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['iot:*'], Resource: ['*'] }],
    });
  });

  it('lets the ingest client and an observer receive what agents send, and an agent nothing of another', () => {
    for (const topic of [topics.results('a'), topics.progress('a'), topics.presence('a')]) {
      expect(receives(CLOUD_INGEST_USER, topic), topic).toBe(true);
      expect(receives(observerUser('spy'), topic), topic).toBe(true);
      expect(receives('agent-2', topic), topic).toBe(false);
    }
    expect(receives(CLOUD_INGEST_USER, topics.jobs('a'))).toBe(false);
    expect(receives(CLOUD_PUBLISH_USER, topics.results('a'))).toBe(false);
  });

  it('renders no rules for agents or unknown users named as service principals', () => {
    expect(mosquittoAcl(topics, ['agent-1', 'cardfleet-nobody', 'a/b'])).toBe(
      [
        'pattern read cardfleet/agents/%u/jobs',
        'pattern read cardfleet/agents/%u/acks',
        'pattern write cardfleet/agents/%u/results',
        'pattern write cardfleet/agents/%u/progress',
        'pattern write cardfleet/agents/%u/presence',
        'pattern write cardfleet/agents/%u/batch',
        '',
      ].join('\n'),
    );
  });
});
