import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { mayPublish, maySubscribe } from '@cardfleet/shared';
import { Aedes, type Client } from 'aedes';

export interface EmbeddedBrokerOptions {
  port?: number;
  /**
   * Username → password. When given, every client must authenticate and the shared
   * broker policy (shared/src/messages/broker-policy.ts) is enforced per topic; without
   * it the broker is open, for a single-user demo on loopback.
   */
  users?: Readonly<Record<string, string>>;
}

/** An embedded MQTT broker (Aedes) on loopback, for `npm start` without Mosquitto. */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const aedes = await Aedes.createBroker();
  if (options.users) enforcePolicy(aedes, options.users);
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    // Aedes first: it disconnects every client, so the server's close does not wait on them.
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}

function enforcePolicy(aedes: Aedes, users: Readonly<Record<string, string>>): void {
  // Aedes does not keep the CONNECT username on the client; remember who authenticated.
  const usernames = new WeakMap<Client, string>();
  aedes.authenticate = (client, username, password, done) => {
    const expected = username !== undefined ? users[username] : undefined;
    const ok =
      expected !== undefined &&
      password !== undefined &&
      password.length === Buffer.byteLength(expected) &&
      timingSafeEqual(password, Buffer.from(expected));
    if (!ok) {
      // MQTT 3.1.1 §3.2.2.3: return code 4 = bad user name or password.
      done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
      return;
    }
    usernames.set(client, username as string);
    done(null, true);
  };
  // A refused publish closes the client (MQTT-3.3.5-2 allows no error reply), as Mosquitto
  // drops it silently; either way nothing reaches the topic.
  aedes.authorizePublish = (client, packet, callback) => {
    const username = client ? usernames.get(client) : undefined;
    callback(
      username && mayPublish(username, packet.topic) ? null : new Error(`not allowed: ${packet.topic}`),
    );
  };
  // A refused subscription is negated (SUBACK 0x80), not an error.
  aedes.authorizeSubscribe = (client, subscription, callback) => {
    const username = usernames.get(client);
    callback(null, username && maySubscribe(username, subscription.topic) ? subscription : null);
  };
}
