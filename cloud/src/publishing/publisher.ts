/**
 * The `Publisher` port: delivers a message to a topic at least once (MQTT QoS 1).
 * Locally an mqtt.js client on Mosquitto/Aedes; in AWS the IoT data-plane Publish API.
 */
export interface Publisher {
  publish(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Whether a connection-based publisher is connected now (`/readyz`); absent: no connection to lose. */
  connected?(): boolean;
}
