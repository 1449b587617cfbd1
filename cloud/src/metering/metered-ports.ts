import type { KeyWrapper } from '../crypto/envelope-encryption';
import type { Signer } from '../crypto/signer';
import type { Publisher } from '../publishing/publisher';
import type { UsageMeter } from './usage-meter';

/**
 * The crypto and publishing ports, counting what AWS bills for them (docs/benchmarks.md,
 * "Cost per job"): each Signer call is one KMS Sign request (counted by the JWS `typ`
 * signed, so envelopes and audit heads show apart); each KeyWrapper wrap is one KMS
 * Encrypt, each unwrap one KMS Decrypt (wrap the caching wrapper around this one to
 * count only what reaches KMS); each publish is one IoT message, metered by AWS IoT
 * Core in 5 KB units of payload plus topic.
 */
export const IOT_METERING_BYTES = 5 * 1024;

export function meteredSigner<S extends Signer>(inner: S, meter: UsageMeter): S {
  return {
    ...inner,
    sign: (payload: Uint8Array, typ: string) => {
      meter.add('kms.sign', 1, typ);
      return inner.sign(payload, typ);
    },
  };
}

export function meteredKeyWrapper(inner: KeyWrapper, meter: UsageMeter): KeyWrapper {
  return {
    keyId: inner.keyId,
    wrap: (dataKey) => {
      meter.add('kms.encrypt');
      return inner.wrap(dataKey);
    },
    unwrap: (wrapped) => {
      meter.add('kms.decrypt');
      return inner.unwrap(wrapped);
    },
  };
}

/** IoT Core messages a payload on a topic is metered as (payload and topic bytes, per 5 KB). */
export function iotMessages(topic: string, payloadBytes: number): number {
  return Math.max(1, Math.ceil((payloadBytes + Buffer.byteLength(topic)) / IOT_METERING_BYTES));
}

export function meteredPublisher(inner: Publisher, meter: UsageMeter): Publisher {
  return {
    publish: (topic, payload) => {
      meter.add('iot.publishes', 1, topic.split('/').at(-1));
      meter.add('iot.messages', iotMessages(topic, payload.length));
      return inner.publish(topic, payload);
    },
    close: () => inner.close(),
  };
}
