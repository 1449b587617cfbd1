import { describe, expect, it } from 'vitest';
import { CLOUD_BROKER_USER, mayPublish, maySubscribe, mosquittoAcl } from './broker-policy';
import { topics } from './topics';

describe('broker policy (per-agent topics, like IoT Core thing policies)', () => {
  it('lets an agent read only its own jobs and acks', () => {
    expect(maySubscribe('agent-1', topics.jobs('agent-1'))).toBe(true);
    expect(maySubscribe('agent-1', topics.acks('agent-1'))).toBe(true);
    expect(maySubscribe('agent-1', topics.jobs('agent-2'))).toBe(false);
    expect(maySubscribe('agent-1', 'cardfleet/agents/+/jobs')).toBe(false);
    expect(maySubscribe('agent-1', '#')).toBe(false);
    expect(maySubscribe('agent-1', topics.results('agent-1'))).toBe(false);
  });

  it('lets an agent write only its own results, progress and presence', () => {
    for (const kind of ['results', 'progress', 'presence'] as const) {
      expect(mayPublish('agent-1', topics[kind]('agent-1'))).toBe(true);
      expect(mayPublish('agent-1', topics[kind]('agent-2'))).toBe(false);
    }
    expect(mayPublish('agent-1', topics.jobs('agent-1'))).toBe(false);
    expect(mayPublish('agent-1', topics.acks('agent-1'))).toBe(false);
  });

  it('refuses usernames that would act as wildcards or extra topic levels', () => {
    expect(mayPublish('+', topics.results('+'))).toBe(false);
    expect(maySubscribe('#', topics.jobs('#'))).toBe(false);
    expect(maySubscribe('a/b', topics.jobs('a/b'))).toBe(false);
  });

  it('gives the cloud the agent tree and nothing outside it', () => {
    expect(maySubscribe(CLOUD_BROKER_USER, 'cardfleet/agents/+/results')).toBe(true);
    expect(mayPublish(CLOUD_BROKER_USER, topics.jobs('agent-7'))).toBe(true);
    expect(mayPublish(CLOUD_BROKER_USER, '$SYS/broker')).toBe(false);
    expect(maySubscribe(CLOUD_BROKER_USER, '#')).toBe(false);
  });

  it('renders the same rules as a Mosquitto ACL file', () => {
    const acl = mosquittoAcl();
    expect(acl).toContain(`user ${CLOUD_BROKER_USER}\ntopic readwrite cardfleet/agents/#`);
    expect(acl).toContain('pattern read cardfleet/agents/%u/jobs');
    expect(acl).toContain('pattern write cardfleet/agents/%u/results');
    expect(acl).not.toContain('pattern write cardfleet/agents/%u/jobs');
  });
});
