import { type Approval, CardfleetError, type VersionLifecycle } from '@cardfleet/shared';
import type { AuditLog } from '../audit/audit-log';
import type { EncodingStore, EncodingVersion } from '../encodings/encoding-store';
import { LOST, retryOptimistic } from '../storage/optimistic-retry';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';
import { fromLifecycleItem, type LifecycleRecord, lifecycleItem } from './release-items';
import { assertFourEyes, type VersionAction, versionMove } from './release-lifecycle';

/**
 * The lifecycle of each encoding version (docs/releases.md): draft → approved → released
 * → retired. A version pushed under release control starts as a draft; one pushed before
 * (no `managed` mark, no record) counts as released to every office — the lazy
 * migration, so nothing that ran before stops. Every move is an audit entry.
 */
export class VersionLifecycles {
  constructor(
    private readonly table: Table,
    private readonly audit: AuditLog,
    private readonly encodings: EncodingStore,
    private readonly now: () => string,
  ) {}

  /** The version, or NOT_FOUND. */
  async version(id: string, version: number): Promise<EncodingVersion> {
    const found = await this.encodings.get(id, version);
    if (!found) throw new CardfleetError('NOT_FOUND', `encoding ${id} version ${version} not found`);
    return found;
  }

  async view(id: string, version: number): Promise<VersionLifecycle> {
    return this.viewOf(await this.version(id, version));
  }

  /**
   * A second admin approves a draft (four eyes: never its uploader, 403 SELF_APPROVAL).
   * The answer names the version it replaces, whose redacted diff the approver reads.
   */
  async approve(id: string, version: number, approver: string): Promise<Approval> {
    const encoding = await this.version(id, version);
    assertFourEyes(encoding.createdBy, approver, `encoding ${id} version ${version}`);
    const lifecycle = await this.move(encoding, 'approve', approver, (record, at) => ({
      ...record,
      approvedBy: approver,
      approvedAt: at,
    }));
    const replaces = await this.replaced(id, version);
    return {
      lifecycle,
      replaces,
      diff:
        replaces === null
          ? null
          : {
              from: replaces,
              to: version,
              // The redacted diff route (docs/api.md): what `cardfleet encodings approve` prints.
              path: `/v1/encodings/${encodeURIComponent(id)}/diff?from=${replaces}&to=${version}`,
            },
    };
  }

  /** Marks the version released when a release of it is created (idempotent). */
  async markReleased(encoding: EncodingVersion, by: string): Promise<VersionLifecycle> {
    return this.move(encoding, 'release', by, (record) => record);
  }

  async retire(encoding: EncodingVersion, by: string, reason?: string): Promise<VersionLifecycle> {
    return this.move(
      encoding,
      'retire',
      by,
      (record, at) => ({ ...record, retiredBy: by, retiredAt: at }),
      reason,
    );
  }

  /** The newest lower version that is released (or legacy): what this one replaces. */
  async replaced(id: string, version: number): Promise<number | null> {
    for (let n = version - 1; n >= 1; n--) {
      const older = await this.encodings.get(id, n);
      if (older && (await this.viewOf(older)).status === 'released') return n;
    }
    return null;
  }

  async viewOf(encoding: EncodingVersion): Promise<VersionLifecycle> {
    const item = await this.table.get(keys.versionLifecycle(encoding.id, encoding.version));
    const record = item ? fromLifecycleItem(item) : undefined;
    return {
      encodingId: encoding.id,
      version: encoding.version,
      status: record?.status ?? (encoding.managed ? 'draft' : 'released'),
      legacy: !encoding.managed,
      uploadedBy: encoding.createdBy,
      ...(record?.approvedBy ? { approvedBy: record.approvedBy } : {}),
      ...(record?.approvedAt ? { approvedAt: record.approvedAt } : {}),
      ...(record?.retiredBy ? { retiredBy: record.retiredBy } : {}),
      ...(record?.retiredAt ? { retiredAt: record.retiredAt } : {}),
    };
  }

  private async move(
    encoding: EncodingVersion,
    action: VersionAction,
    by: string,
    change: (record: LifecycleRecord, at: string) => LifecycleRecord,
    reason?: string,
  ): Promise<VersionLifecycle> {
    const { id, version } = encoding;
    const what = `encoding ${id} version ${version}`;
    const moved = await retryOptimistic(`lifecycle ${id} ${version}`, async () => {
      const item = await this.table.get(keys.versionLifecycle(id, version));
      const current = await this.viewOf(encoding);
      const status = versionMove(current.status, action, what);
      if (status === current.status && item) return { changed: false };
      const at = this.now();
      const record = change({ ...(item ? fromLifecycleItem(item) : {}), status }, at);
      const stored = item ? Number(item.version) : undefined;
      const written = await this.table.putIfVersion(
        lifecycleItem(id, version, record, (stored ?? 0) + 1),
        stored,
      );
      return written ? { changed: true, at } : LOST;
    });
    if (moved.changed && moved.at)
      await this.audit.append({
        at: moved.at,
        actor: by,
        action: `encoding.${action}`,
        office: '*',
        encoding: { id, version, sha256: encoding.sha256 },
        details: { uploadedBy: encoding.createdBy, ...(reason ? { reason } : {}) },
      });
    return this.viewOf(encoding);
  }
}
