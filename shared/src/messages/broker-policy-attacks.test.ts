import { describe, expect, it } from 'vitest';
import {
  CLOUD_INGEST_USER,
  CLOUD_PUBLISH_USER,
  isBrokerUsername,
  mayPublish,
  maySubscribe,
  mosquittoAcl,
} from './broker-policy';
import { topics } from './topics';

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
});
