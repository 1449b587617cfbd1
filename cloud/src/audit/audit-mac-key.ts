import { randomBytes } from 'node:crypto';
import { CardfleetError } from '@cardfleet/shared';
import type { KeyWrapper } from '../crypto/envelope-encryption';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';

/**
 * The audit data key: 32 random bytes, stored in the table only wrapped by the KeyWrapper
 * (KMS in AWS), made by the first instance that needs it (conditional put) and unwrapped
 * once per instance — one KMS call per instance, not per entry. Entries are authenticated
 * with it (HMAC-SHA256, audit-entry.ts): a table writer without KMS cannot make a MAC
 * (docs/security.md, "Someone with write access to the table").
 */
export function auditMacKey(table: Table, wrapper: KeyWrapper): () => Promise<Uint8Array> {
  let cached: Promise<Uint8Array> | undefined;
  const load = async (): Promise<Uint8Array> => {
    let item = await table.get(keys.auditMacKey);
    if (!item) {
      const key = randomBytes(32);
      const wrapped = Buffer.from(await wrapper.wrap(key)).toString('base64');
      if (await table.putNew({ ...keys.auditMacKey, keyId: wrapper.keyId, wrapped })) return key;
      item = await table.get(keys.auditMacKey);
    }
    try {
      return await wrapper.unwrap(Buffer.from(String(item?.wrapped ?? ''), 'base64'));
    } catch (cause) {
      throw new CardfleetError('AUDIT_TAMPERED', 'the audit data key does not unwrap', { cause });
    }
  };
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined; // a failed load is tried again by the next call
      throw error;
    });
    return cached;
  };
}
