import { randomBytes } from 'node:crypto';
import type { DataKey, KeyWrapper } from './envelope-encryption';

/**
 * Fewer KMS requests for secrets at rest (docs/benchmarks.md, "Cost per job"; the
 * same idea as the AWS Encryption SDK's data key caching):
 *   - unwrap: each wrapped data key is unwrapped once per instance and kept in a
 *     bounded LRU (an encoding's bundle key is used by every job of that version);
 *   - seal: one data key serves many values for a while (at most `maxUses` values or
 *     `maxAgeMs`), so creating a job with secrets does not cost a KMS request each
 *     time, and the job's publication finds the key already unwrapped.
 * Each value still has its own random 96-bit IV under AES-256-GCM; `maxUses` stays
 * far below the 2^32 invocations NIST SP 800-38D §8.3 allows per key with random IVs.
 * Plain keys live only in this process's memory, as the unwrapped key did before.
 */
export interface CachingOptions {
  /** Unwrapped keys kept (least recently used dropped first). */
  maxEntries?: number;
  /** How many values one sealing data key serves. */
  maxUses?: number;
  /** How long one sealing data key serves, in ms. */
  maxAgeMs?: number;
  /** Milliseconds (injected clock). */
  now?: () => number;
}

export function cachingKeyWrapper(inner: KeyWrapper, options: CachingOptions = {}): KeyWrapper {
  const maxEntries = options.maxEntries ?? 1000;
  const maxUses = options.maxUses ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const plain = new Map<string, Uint8Array>();
  let sealing: { key: Uint8Array; wrapped: Uint8Array; uses: number; since: number } | undefined;
  let pending: Promise<void> | undefined;

  const remember = (wrapped: Uint8Array, key: Uint8Array) => {
    const id = Buffer.from(wrapped).toString('base64');
    plain.delete(id);
    plain.set(id, Uint8Array.from(key));
    for (const oldest of plain.keys()) {
      if (plain.size <= maxEntries) break;
      plain.delete(oldest);
    }
  };

  const fresh = async () => {
    const key = new Uint8Array(randomBytes(32));
    const wrapped = await inner.wrap(key);
    remember(wrapped, key);
    sealing = { key, wrapped, uses: 0, since: now() };
  };

  return {
    keyId: inner.keyId,
    async wrap(dataKey) {
      const wrapped = await inner.wrap(dataKey);
      remember(wrapped, dataKey);
      return wrapped;
    },
    async unwrap(wrapped) {
      const id = Buffer.from(wrapped).toString('base64');
      const known = plain.get(id);
      if (known) {
        plain.delete(id); // most recently used last
        plain.set(id, known);
        return Uint8Array.from(known);
      }
      const key = await inner.unwrap(wrapped);
      remember(wrapped, key);
      return key;
    },
    async dataKey(): Promise<DataKey> {
      // Concurrent sealers share one KMS request for a new key.
      while (!sealing || sealing.uses >= maxUses || now() - sealing.since >= maxAgeMs) {
        pending ??= fresh().finally(() => {
          pending = undefined;
        });
        await pending;
      }
      sealing.uses++;
      return { key: Uint8Array.from(sealing.key), wrapped: sealing.wrapped };
    },
  };
}
