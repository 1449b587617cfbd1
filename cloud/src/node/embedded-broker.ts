import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import {
  type IotAction,
  type IotPolicyDocument,
  type IotScope,
  iotArn,
  isAllowed,
  LOCAL_IOT_SCOPE,
  mayPublishWith,
  parsePolicyDocuments,
} from '@cardfleet/shared';
import { Aedes, type Client } from 'aedes';
import type { BrokerAuthorizer, IotAuthorizerEvent } from '../broker/broker-authorizer';

export interface EmbeddedBrokerOptions {
  port?: number;
  /**
   * The broker authorizer (cloud/src/broker/broker-authorizer.ts), the code IoT Core's
   * custom authorizer runs: every CONNECT is put to it as IoT Core's authorizer event,
   * and the policy it answers decides the client id, every subscription, publish and
   * delivery of that connection (docs/messaging.md, "Broker identity"). Without it the
   * broker is open, for a single-user demo on loopback.
   */
  authorize?: BrokerAuthorizer;
  /** The region and account the authorizer's policies name (default: the local stand-in). */
  scope?: IotScope;
}

export interface EmbeddedBroker {
  url: string;
  /** Ends the connection of `clientId` now (a revoked agent); false when it is not connected. */
  disconnect(clientId: string): boolean;
  close(): Promise<void>;
}

/** An embedded MQTT broker (Aedes) on loopback, for `npm start` and tests without Mosquitto. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  // The connected clients by id (Aedes keeps its own map untyped).
  const connected = new Map<string, Client>();
  aedes.on('clientReady', (client) => connected.set(client.id, client));
  aedes.on('clientDisconnect', (client) => {
    if (connected.get(client.id) === client) connected.delete(client.id);
  });
  if (options.authorize) enforcePolicy(aedes, options.authorize, options.scope ?? LOCAL_IOT_SCOPE);
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    disconnect: (clientId) => {
      const client = connected.get(clientId);
      if (!client) return false;
      client.close();
      return true;
    },
    // Aedes first: it disconnects every client, so the server's close does not wait on them.
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}

/** What the authorizer granted one connection. */
interface Grant {
  policies: IotPolicyDocument[];
}

function enforcePolicy(aedes: Aedes, authorize: BrokerAuthorizer, scope: IotScope): void {
  const grants = new WeakMap<Client, Grant>();
  const allowed = (client: Client | null, action: IotAction, resource: string) => {
    const grant = client ? grants.get(client) : undefined;
    return grant !== undefined && isAllowed(grant.policies, action, resource);
  };
  /** The policies the authorizer answers for this event, if it admits `clientId` with them. */
  const admit = async (event: IotAuthorizerEvent, clientId: string) => {
    const response = await authorize(event).catch(() => undefined);
    if (!response?.isAuthenticated) return undefined;
    const policies = parsePolicyDocuments(response.policyDocuments);
    if (!policies || !isAllowed(policies, 'iot:Connect', iotArn(scope, 'client', clientId))) return undefined;
    return { policies, response };
  };

  // Aedes authenticates first when a CONNECT arrives, before it registers the client and
  // closes an older one with the same id: a refused client id never takes over the
  // owner's session (test/broker/broker-acl-contract.ts, the takeover test).
  aedes.authenticate = (client, username, password, done) => {
    const event: IotAuthorizerEvent = {
      signatureVerified: false,
      protocols: ['mqtt'],
      protocolData: {
        mqtt: {
          ...(username === undefined ? {} : { username }),
          ...(password === undefined ? {} : { password: password.toString('base64') }),
          clientId: client.id,
        },
      },
      connectionMetadata: { id: randomUUID() },
    };
    void admit(event, client.id).then((admitted) => {
      if (!admitted) {
        // MQTT 3.1.1 §3.2.2.3: return code 5 = not authorized.
        done(Object.assign(new Error('not authorized'), { returnCode: 5 }), false);
        return;
      }
      const grant: Grant = { policies: admitted.policies };
      grants.set(client, grant);
      // IoT Core's session bounds: the connection ends after disconnectAfter, and the
      // authorizer is asked again every refreshAfter (a revoked agent is refused then).
      const { disconnectAfterInSeconds, refreshAfterInSeconds } = admitted.response;
      const end = setTimeout(() => client.close(), disconnectAfterInSeconds * 1000);
      const refresh = setInterval(() => {
        if (client.closed) {
          clearTimeout(end);
          clearInterval(refresh);
          return;
        }
        void admit(event, client.id).then((again) => {
          if (again) grant.policies = again.policies;
          else client.close();
        });
      }, refreshAfterInSeconds * 1000);
      end.unref();
      refresh.unref();
      client.conn.once('close', () => {
        clearTimeout(end);
        clearInterval(refresh);
      });
      done(null, true);
    });
  };
  // A refused publish closes the client (MQTT-3.3.5-2 allows no error reply), as Mosquitto
  // drops it silently and IoT Core disconnects; either way nothing reaches the topic.
  aedes.authorizePublish = (client, packet, callback) => {
    const grant = client ? grants.get(client) : undefined;
    const ok = grant !== undefined && mayPublishWith(grant.policies, scope, packet.topic, packet.retain);
    callback(ok ? null : new Error(`not allowed: ${packet.topic}`));
  };
  // A refused subscription is negated (SUBACK 0x80), not an error.
  aedes.authorizeSubscribe = (client, subscription, callback) => {
    const ok = allowed(client, 'iot:Subscribe', iotArn(scope, 'topicfilter', subscription.topic));
    callback(null, ok ? subscription : null);
  };
  // Every delivery too (iot:Receive), queued messages of a persistent session included.
  aedes.authorizeForward = (client, packet) =>
    allowed(client, 'iot:Receive', iotArn(scope, 'topic', packet.topic)) ? packet : null;
}
