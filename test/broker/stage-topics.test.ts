import {
  agentTopics,
  brokerClientId,
  CLOUD_INGEST_USER,
  LOCAL_IOT_SCOPE,
  type Presence,
  topicRootFor,
} from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerAuthorizer } from '../../cloud/src/broker/broker-authorizer';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import { brokerLogin } from '../../edge-agent/src/daemon/broker-credential';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { bareAgentSession } from '../support/bare-agent-session';
import { agentKeyPair, passwordOf, serviceLogin } from '../support/broker-identities';
import { addEnrolledAgent, memoryCloud } from '../support/test-cloud';

/**
 * A stage's topic tree (`<app>/<stage>/agents`, as in AWS) end to end through the
 * embedded broker: the agent logs in for that tree and announces itself on it, the
 * authorizer's policy names it, and the cloud's ingest reads the agent id from under it.
 */
describe('a stage’s topic tree, deeper than the local one', () => {
  const stage = agentTopics(topicRootFor('cardfleet', 'dev'));
  const key = agentKeyPair();
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    const cloud = await memoryCloud();
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', key.publicKey);
    broker = await startEmbeddedBroker({
      authorize: brokerAuthorizer({
        agents: { get: (id) => cloud.cloud.agents.get(id, { presence: false }) },
        topics: stage,
        scope: LOCAL_IOT_SCOPE,
        nowSeconds: () => Math.floor(Date.now() / 1000),
        servicePasswords: { [CLOUD_INGEST_USER]: passwordOf(CLOUD_INGEST_USER) },
      }),
    });
  });
  afterAll(() => broker.close());

  it('carries an agent’s presence from its session to the ingest under <app>/<stage>/agents', async () => {
    const presences: [string, Presence['status']][] = [];
    const ingest = await subscribeResults(
      broker.url,
      {
        receiveResult: async () => undefined,
        presence: async (agentId, presence) => void presences.push([agentId, presence.status]),
      },
      // Under a stage's root the stage is part of every client id (brokerClientId).
      {
        ...serviceLogin(CLOUD_INGEST_USER),
        clientId: brokerClientId(CLOUD_INGEST_USER, stage),
        topics: stage,
      },
    );
    const session = bareAgentSession({
      agentId: 'agent-1',
      mqttUrl: broker.url,
      topics: stage,
      login: brokerLogin(
        { kind: 'token' },
        { agentId: 'agent-1', privateKey: key.privateKey, audience: stage.root, clock: systemClock },
      ),
    });
    await session.start();
    for (let i = 0; i < 40 && presences.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await session.stop();
    await ingest.endAsync();
    await ingest.idle();
    expect(presences[0]).toEqual(['agent-1', 'online']);
  });
});
