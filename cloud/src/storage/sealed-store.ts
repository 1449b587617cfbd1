import type { AuditLog } from '../audit/audit-log';
import { decryptAtRest, encryptAtRest, type KeyWrapper, type Sealed } from '../crypto/envelope-encryption';
import type { RetryPolicy } from './optimistic-retry';
import type { ItemKey, Table } from './table-port';

/**
 * What a store of items with secrets sealed at rest needs (docs/security.md): the table, the
 * key wrapper that seals them, the audit log every change is written to, the injected clock,
 * and the retry policy for optimistic writes. EncodingStore and JobStore are such stores.
 * Their values are sealed and opened here, bound to the item key and attribute they are
 * stored under (crypto/envelope-encryption.ts), so a value moved elsewhere does not open.
 */
export abstract class SealedStore {
  constructor(
    protected readonly table: Table,
    protected readonly keyWrapper: KeyWrapper,
    protected readonly audit: AuditLog,
    protected readonly now: () => string,
    protected readonly retryPolicy?: RetryPolicy,
  ) {}

  /** `value` sealed for attribute `field` of the item at `item`, as the stored JSON text. */
  protected async sealFor(item: ItemKey, field: string, value: unknown): Promise<string> {
    const plain = new TextEncoder().encode(JSON.stringify(value));
    return JSON.stringify(await encryptAtRest(this.keyWrapper, plain, { item: keyOf(item), field }));
  }

  /** The value stored sealed in attribute `field` of the item at `item` (DECRYPTION_FAILED if moved). */
  protected async openFrom<T>(item: ItemKey, field: string, stored: string): Promise<T> {
    const sealed = JSON.parse(stored) as Sealed;
    const plain = await decryptAtRest(this.keyWrapper, sealed, { item: keyOf(item), field });
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  }
}

/** Only PK and SK: the item builders' objects may carry more. */
const keyOf = (item: ItemKey): ItemKey => ({ PK: item.PK, SK: item.SK });
