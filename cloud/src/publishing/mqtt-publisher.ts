import { CardfleetError } from '@cardfleet/shared';
import { connectAsync, type IClientOptions } from 'mqtt';
import type { Publisher } from './publisher';

/** The Publisher on an MQTT broker through mqtt.js (QoS 1: the broker acknowledged it). */
export async function mqttPublisher(url: string, options: IClientOptions = {}): Promise<Publisher> {
  let client: Awaited<ReturnType<typeof connectAsync>>;
  try {
    client = await connectAsync(url, { reconnectPeriod: 1000, connectTimeout: 5000, ...options });
  } catch (cause) {
    throw new CardfleetError('BROKER_UNREACHABLE', `cannot connect to the MQTT broker at ${url}`, { cause });
  }
  return {
    async publish(topic, payload) {
      await client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
    },
    close: () => client.endAsync(),
    connected: () => client.connected,
  };
}
