import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  CLOUD_INGEST_USER,
  CLOUD_PUBLISH_USER,
  LOCAL_IOT_SCOPE,
  observerUser,
  signBrokerLogin,
  topics,
} from '@cardfleet/shared';
import { type BrokerAuthorizer, brokerAuthorizer } from '../../cloud/src/broker/broker-authorizer';

/**
 * Who logs in to the test brokers (docs/messaging.md, "Broker identity"): each cloud
 * client and each tap its own user, client id = user name. On the embedded Aedes the
 * agents present logins signed with their enrolled keys (the authorizer checks them
 * against the agent store); on Mosquitto every user has a password (`<user>-secret`).
 */
export const SERVICE_USERS = [
  CLOUD_PUBLISH_USER,
  CLOUD_INGEST_USER,
  observerUser('spy'),
  observerUser('wiretap'),
] as const;

export const passwordOf = (user: string) => `${user}-secret`;

export const servicePasswords = (): Record<string, string> =>
  Object.fromEntries(SERVICE_USERS.map((user) => [user, passwordOf(user)]));

/** MQTT connect options of a service user. */
export const serviceLogin = (user: string) => ({
  clientId: user,
  username: user,
  password: passwordOf(user),
});

/** A fresh P-256 key pair, as an agent makes at enrolment. */
export const agentKeyPair = (): { privateKey: KeyObject; publicKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** MQTT connect options of an agent logging in with a login signed by its key. */
export const agentTokenLogin = (
  agentId: string,
  privateKey: KeyObject,
  now = Math.floor(Date.now() / 1000),
) => ({
  clientId: agentId,
  username: agentId,
  password: signBrokerLogin(privateKey, { agentId, audience: topics.root, now }),
});

/** The broker authorizer over an agent store, with the test service users' passwords. */
export function testAuthorizer(
  agents: Parameters<typeof brokerAuthorizer>[0]['agents'],
  session?: { refreshAfter: number; disconnectAfter: number },
): BrokerAuthorizer {
  return brokerAuthorizer({
    agents,
    topics,
    scope: LOCAL_IOT_SCOPE,
    nowSeconds: () => Math.floor(Date.now() / 1000),
    servicePasswords: servicePasswords(),
    ...(session ? { session } : {}),
  });
}
