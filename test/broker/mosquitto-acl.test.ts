import { afterAll, beforeAll, describe } from 'vitest';
import { passwordOf, SERVICE_USERS, serviceLogin } from '../support/broker-identities';
import { startMosquitto } from '../support/mosquitto';
import { AGENTS, brokerAclContract } from './broker-acl-contract';

/**
 * Mosquitto with a password file, the ACL file rendered from the shared policy and
 * `use_username_as_clientid`: every user, agents included, logs in with a password.
 */
describe('broker ACLs and identities (Mosquitto password + acl_file, client id = user name)', () => {
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  beforeAll(async () => {
    broker = await startMosquitto({
      users: Object.fromEntries([...SERVICE_USERS, ...AGENTS].map((u) => [u, passwordOf(u)])),
    });
  });
  afterAll(() => broker.stop());
  brokerAclContract({ url: () => broker.url, login: serviceLogin });
});
