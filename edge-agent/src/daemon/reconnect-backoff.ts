import type { MqttClient } from 'mqtt';

/**
 * Reconnect with backoff: mqtt.js waits `options.reconnectPeriod` before each attempt
 * and reads it anew every time, so doubling it after each failed attempt (with jitter,
 * so a fleet does not reconnect in lockstep after a broker restart) and resetting it on
 * CONNACK gives 1 s, 2 s, 4 s … up to `maxMs`.
 */
export function reconnectWithBackoff(
  client: Pick<MqttClient, 'on' | 'options'>,
  { minMs = 1000, maxMs = 30_000, random = Math.random } = {},
): void {
  let next = minMs;
  client.options.reconnectPeriod = minMs;
  client.on('connect', () => {
    next = minMs;
    client.options.reconnectPeriod = minMs;
  });
  client.on('reconnect', () => {
    next = Math.min(maxMs, next * 2);
    // Full jitter in the upper half: between next/2 and next.
    client.options.reconnectPeriod = Math.round(next / 2 + random() * (next / 2));
  });
}
