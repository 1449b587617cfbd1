import { afterAll, beforeAll, describe } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { BROKER_USERS, brokerAclContract, passwordOf } from './broker-acl-contract';

/** Mosquitto with a password file and the ACL file rendered from the shared policy. */
describe('broker ACLs (Mosquitto password + acl_file)', () => {
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  beforeAll(async () => {
    broker = await startMosquitto({ users: Object.fromEntries(BROKER_USERS.map((u) => [u, passwordOf(u)])) });
  });
  afterAll(() => broker.stop());
  brokerAclContract(() => broker.url);
});
