import { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { signBrokerLogin } from '@cardfleet/shared';
import type { CryptoKey, KeyObject as JoseKeyObject } from 'jose';
import { type Clock, epochSeconds } from '../runner/clock';

/**
 * How the agent logs in to its broker (docs/messaging.md, "Broker identity"); the MQTT
 * username and client id are always the agent id.
 *  - `token`: a login signed with the enrolled key (shared/src/broker/broker-login.ts),
 *    fresh at every (re)connect — for IoT Core's custom authorizer and the embedded Aedes.
 *  - `password-file`: a password read from a file (0600) at every (re)connect — for a
 *    Mosquitto with a password file.
 *  - `password`: the same, given in the process (tests and benchmarks; never configuration).
 */
export type BrokerCredential =
  /**
   * `authorizer`: IoT Core's custom authorizer by name, for an endpoint where it is not
   * the default — IoT Core reads it from the MQTT username's query
   * (`<agent id>?x-amz-customauthorizer-name=<name>`, AWS IoT Core Developer Guide,
   * "Connecting to AWS IoT Core by using custom authentication"); docs/deploy.md.
   */
  | { kind: 'token'; authorizer?: string | undefined }
  | { kind: 'password-file'; file: string }
  | { kind: 'password'; password: string };

/**
 * The credential a configuration names: `mqttCredential`, or the older `mqttPasswordFile`
 * (a password file); a file's path is relative to the configuration's directory.
 */
export function brokerCredentialOf(
  config: {
    mqttCredential?:
      | { kind: 'token'; authorizer?: string | undefined }
      | { kind: 'password-file'; file: string }
      | undefined;
    mqttPasswordFile?: string | undefined;
  },
  baseDirectory: string,
): BrokerCredential | undefined {
  const credential =
    config.mqttCredential ??
    (config.mqttPasswordFile ? { kind: 'password-file' as const, file: config.mqttPasswordFile } : undefined);
  if (credential?.kind !== 'password-file') return credential;
  return { kind: 'password-file', file: resolve(baseDirectory, credential.file) };
}

export interface BrokerLogin {
  username: string;
  /** The password for the next CONNECT (synchronous: mqtt.js builds CONNECT right after 'reconnect'). */
  password(): string;
}

export function brokerLogin(
  credential: BrokerCredential,
  agent: { agentId: string; privateKey: CryptoKey | JoseKeyObject; audience: string; clock: Clock },
): BrokerLogin {
  const username = agent.agentId;
  switch (credential.kind) {
    case 'password':
      return { username, password: () => credential.password };
    case 'password-file':
      return { username, password: () => readFileSync(credential.file, 'utf8').trim() };
    case 'token': {
      const key = keyObjectOf(agent.privateKey);
      return {
        username: credential.authorizer
          ? `${username}?x-amz-customauthorizer-name=${encodeURIComponent(credential.authorizer)}`
          : username,
        password: () =>
          signBrokerLogin(key, {
            agentId: username,
            audience: agent.audience,
            now: epochSeconds(agent.clock),
          }),
      };
    }
  }
}

function keyObjectOf(key: CryptoKey | JoseKeyObject): KeyObject {
  return key instanceof KeyObject ? key : KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
}
