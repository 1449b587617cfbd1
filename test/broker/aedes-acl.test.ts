import { afterAll, beforeAll, describe } from 'vitest';
import { startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import { BROKER_USERS, brokerAclContract, passwordOf } from './broker-acl-contract';

/** The embedded Aedes broker with users: its authorize hooks apply the shared policy. */
describe('broker ACLs (embedded Aedes authorize hooks)', () => {
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>>;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({
      users: Object.fromEntries(BROKER_USERS.map((user) => [user, passwordOf(user)])),
    });
  });
  afterAll(() => broker.close());
  brokerAclContract(() => broker.url);
});
