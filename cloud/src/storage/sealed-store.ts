import type { AuditLog } from '../audit/audit-log';
import type { KeyWrapper } from '../crypto/envelope-encryption';
import type { RetryPolicy } from './optimistic-retry';
import type { Table } from './table-port';

/**
 * What a store of items with secrets sealed at rest needs (docs/security.md): the table, the
 * key wrapper that seals them, the audit log every change is written to, the injected clock,
 * and the retry policy for optimistic writes. EncodingStore and JobStore are such stores.
 */
export abstract class SealedStore {
  constructor(
    protected readonly table: Table,
    protected readonly keyWrapper: KeyWrapper,
    protected readonly audit: AuditLog,
    protected readonly now: () => string,
    protected readonly retryPolicy?: RetryPolicy,
  ) {}
}
