import { describe, expect, it } from 'vitest';
import { isAllowed, perStatement } from '../broker/iot-policy';
import {
  agentPolicy,
  brokerClientId,
  brokerPrincipal,
  CLOUD_INGEST_USER,
  CLOUD_PUBLISH_USER,
  mayPublish,
  maySubscribe,
  mosquittoAcl,
  observerUser,
  principalPolicy,
} from './broker-policy';
import { agentTopics, topicRootFor, topics } from './topics';

describe('broker policy (per-agent topics, like IoT Core thing policies)', () => {
  it('lets an agent read only its own jobs and acks', () => {
    expect(maySubscribe('agent-1', topics.jobs('agent-1'))).toBe(true);
    expect(maySubscribe('agent-1', topics.acks('agent-1'))).toBe(true);
    expect(maySubscribe('agent-1', topics.jobs('agent-2'))).toBe(false);
    expect(maySubscribe('agent-1', 'cardfleet/agents/+/jobs')).toBe(false);
    expect(maySubscribe('agent-1', '#')).toBe(false);
    expect(maySubscribe('agent-1', topics.results('agent-1'))).toBe(false);
  });

  it('lets an agent write only its own results, progress, presence and batch requests', () => {
    for (const kind of ['results', 'progress', 'presence', 'batch'] as const) {
      expect(mayPublish('agent-1', topics[kind]('agent-1'))).toBe(true);
      expect(mayPublish('agent-1', topics[kind]('agent-2'))).toBe(false);
    }
    expect(mayPublish('agent-1', topics.jobs('agent-1'))).toBe(false);
    expect(mayPublish('agent-1', topics.acks('agent-1'))).toBe(false);
  });

  it('refuses usernames that would act as wildcards or extra topic levels, and agents in the cloud’s names', () => {
    expect(mayPublish('+', topics.results('+'))).toBe(false);
    expect(maySubscribe('#', topics.jobs('#'))).toBe(false);
    expect(maySubscribe('a/b', topics.jobs('a/b'))).toBe(false);
    expect(mayPublish('a*', topics.results('a*'))).toBe(false);
    expect(brokerPrincipal('cardfleet-anything')).toBeUndefined();
    expect(() => agentPolicy(CLOUD_INGEST_USER, topics, { region: 'r', account: '1' })).toThrow();
  });

  it('gives each cloud client its own part of the tree and nothing outside it', () => {
    expect(mayPublish(CLOUD_PUBLISH_USER, topics.jobs('agent-7'))).toBe(true);
    expect(mayPublish(CLOUD_PUBLISH_USER, topics.acks('agent-7'))).toBe(false);
    expect(maySubscribe(CLOUD_PUBLISH_USER, 'cardfleet/agents/+/results')).toBe(false);
    expect(maySubscribe(CLOUD_INGEST_USER, 'cardfleet/agents/+/results')).toBe(true);
    expect(maySubscribe(CLOUD_INGEST_USER, 'cardfleet/agents/+/jobs')).toBe(false);
    expect(mayPublish(CLOUD_INGEST_USER, topics.acks('agent-7'))).toBe(true);
    expect(mayPublish(CLOUD_INGEST_USER, topics.jobs('agent-7'))).toBe(false);
    expect(mayPublish(CLOUD_PUBLISH_USER, '$SYS/broker')).toBe(false);
    expect(maySubscribe(CLOUD_INGEST_USER, '#')).toBe(false);
    expect(mayPublish(CLOUD_PUBLISH_USER, 'cardfleet/agents/+/jobs')).toBe(false);
  });

  it('lets an observer read the whole tree and write nothing', () => {
    const tap = observerUser('wiretap');
    expect(maySubscribe(tap, 'cardfleet/agents/#')).toBe(true);
    expect(maySubscribe(tap, '#')).toBe(false);
    for (const kind of ['jobs', 'acks', 'results', 'progress', 'presence'] as const)
      expect(mayPublish(tap, topics[kind]('agent-1'))).toBe(false);
  });

  it('writes the agent’s IoT Core policy: its client id, its topics, under the stage’s root', () => {
    const stage = agentTopics(topicRootFor('cardfleet', 'prod'));
    const arn = 'arn:aws:iot:eu-central-1:123456789012';
    expect(agentPolicy('agent-1', stage, { region: 'eu-central-1', account: '123456789012' })).toEqual({
      Version: '2012-10-17',
      Statement: [
        // The stage is part of the client id: one endpoint serves every stage.
        {
          Effect: 'Allow',
          Action: ['iot:Connect'],
          Resource: [`${arn}:client/cardfleet.prod.agents.agent-1`],
        },
        {
          Effect: 'Allow',
          Action: ['iot:Subscribe'],
          Resource: [
            `${arn}:topicfilter/cardfleet/prod/agents/agent-1/jobs`,
            `${arn}:topicfilter/cardfleet/prod/agents/agent-1/acks`,
          ],
        },
        {
          Effect: 'Allow',
          Action: ['iot:Receive'],
          Resource: [
            `${arn}:topic/cardfleet/prod/agents/agent-1/jobs`,
            `${arn}:topic/cardfleet/prod/agents/agent-1/acks`,
          ],
        },
        {
          Effect: 'Allow',
          Action: ['iot:Publish'],
          Resource: [
            `${arn}:topic/cardfleet/prod/agents/agent-1/results`,
            `${arn}:topic/cardfleet/prod/agents/agent-1/progress`,
            `${arn}:topic/cardfleet/prod/agents/agent-1/presence`,
            `${arn}:topic/cardfleet/prod/agents/agent-1/batch`,
          ],
        },
        {
          Effect: 'Allow',
          Action: ['iot:RetainPublish'],
          Resource: [`${arn}:topic/cardfleet/prod/agents/agent-1/presence`],
        },
      ],
    });
  });

  it('lets an agent retain only its presence (IoT Core asks iot:RetainPublish for a retained message or will)', () => {
    const scope = { region: 'eu-central-1', account: '123456789012' };
    const policy = perStatement(agentPolicy('agent-1', topics, scope));
    const retain = (topic: string) =>
      isAllowed(policy, 'iot:RetainPublish', `arn:aws:iot:eu-central-1:123456789012:topic/${topic}`);
    expect(retain(topics.presence('agent-1'))).toBe(true);
    expect(retain(topics.results('agent-1'))).toBe(false);
    expect(retain(topics.progress('agent-1'))).toBe(false);
    expect(retain(topics.presence('agent-2'))).toBe(false);
  });

  it('gives each principal one client id: its user name locally, with the stage under a stage’s root', () => {
    expect(brokerClientId('agent-1')).toBe('agent-1');
    expect(brokerClientId('agent-1', agentTopics(topicRootFor('cardfleet', 'prod')))).toBe(
      'cardfleet.prod.agents.agent-1',
    );
    expect(brokerClientId('agent-1', agentTopics(topicRootFor('cardfleet', 'dev')))).not.toBe(
      brokerClientId('agent-1', agentTopics(topicRootFor('cardfleet', 'prod'))),
    );
  });

  it('keeps the longest agent’s policy within IoT Core’s 2,048 characters per document, one per statement', () => {
    const stage = agentTopics(topicRootFor('a'.repeat(64), 'b'.repeat(64)));
    const policy = agentPolicy('x'.repeat(128), stage, { region: 'ap-southeast-2', account: '123456789012' });
    const documents = perStatement(policy);
    expect(documents.length).toBeLessThanOrEqual(10);
    for (const document of documents) expect(JSON.stringify(document).length).toBeLessThanOrEqual(2048);
    expect(documents.flatMap((d) => d.Statement)).toEqual(policy.Statement);
  });

  it('allows an unknown principal nothing', () => {
    const policy = principalPolicy('cardfleet-nobody');
    expect(isAllowed([policy], 'iot:Connect', 'arn:aws:iot:local:000000000000:client/cardfleet-nobody')).toBe(
      false,
    );
  });

  it('renders the same rules as a Mosquitto ACL file, for the stage’s root too', () => {
    const acl = mosquittoAcl(topics, [CLOUD_PUBLISH_USER, CLOUD_INGEST_USER, observerUser('spy')]);
    expect(acl).toContain(`user ${CLOUD_PUBLISH_USER}\ntopic write cardfleet/agents/+/jobs\n`);
    expect(acl).toContain(`user ${CLOUD_INGEST_USER}\ntopic read cardfleet/agents/+/results`);
    expect(acl).toContain('topic write cardfleet/agents/+/acks');
    expect(acl).toContain(`user ${observerUser('spy')}\ntopic read cardfleet/agents/#\n`);
    expect(acl).toContain('pattern read cardfleet/agents/%u/jobs');
    expect(acl).toContain('pattern write cardfleet/agents/%u/results');
    expect(acl).not.toContain('pattern write cardfleet/agents/%u/jobs');
    expect(acl).not.toContain('readwrite');
    expect(mosquittoAcl(agentTopics('app/dev/agents'))).toContain('pattern read app/dev/agents/%u/jobs');
  });
});
