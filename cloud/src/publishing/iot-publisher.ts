import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import type { Publisher } from './publisher';

/** The Publisher on AWS IoT Core's data plane (HTTPS Publish, QoS 1). */
export function iotPublisher(
  client: IoTDataPlaneClient = new IoTDataPlaneClient(
    // The account's ATS data endpoint; the SDK's default host is not one.
    process.env.IOT_DATA_ENDPOINT ? { endpoint: `https://${process.env.IOT_DATA_ENDPOINT}` } : {},
  ),
): Publisher {
  return {
    async publish(topic, payload) {
      await client.send(new PublishCommand({ topic, qos: 1, payload }));
    },
    close: async () => client.destroy(),
  };
}
