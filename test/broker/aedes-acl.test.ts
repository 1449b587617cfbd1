import { afterAll, beforeAll, describe } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import { agentKeyPair, agentTokenLogin, serviceLogin, testAuthorizer } from '../support/broker-identities';
import { addEnrolledAgent, memoryCloud } from '../support/test-cloud';
import { AGENTS, brokerAclContract } from './broker-acl-contract';

/**
 * The embedded Aedes through the broker authorizer (the code of IoT Core's custom
 * authorizer) over a real agent store: agents log in with logins signed by their
 * enrolled keys, the cloud's users with passwords; the policies it answers decide.
 */
describe('broker ACLs and identities (embedded Aedes, broker authorizer)', () => {
  let broker: EmbeddedBroker;
  const keys = new Map(AGENTS.map((agent) => [agent, agentKeyPair()]));
  beforeAll(async () => {
    const cloud = await memoryCloud();
    for (const [agent, key] of keys) await addEnrolledAgent(cloud, agent, 'berlin', key.publicKey);
    broker = await startEmbeddedBroker({
      authorize: testAuthorizer({ get: (id) => cloud.cloud.agents.get(id, { presence: false }) }),
    });
  });
  afterAll(() => broker.close());
  brokerAclContract({
    url: () => broker.url,
    login: (user) => {
      const key = keys.get(user as (typeof AGENTS)[number]);
      return key ? agentTokenLogin(user, key.privateKey) : serviceLogin(user);
    },
  });
});
