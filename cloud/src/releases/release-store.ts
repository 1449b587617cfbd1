import { randomUUID } from 'node:crypto';
import {
  CardfleetError,
  type CreateRelease,
  DEFAULT_RELEASE_THRESHOLDS,
  EVERY_OFFICE,
  type Release,
  type ReleaseState,
} from '@cardfleet/shared';
import type { AuditLog } from '../audit/audit-log';
import { LOST, retryOptimistic } from '../storage/optimistic-retry';
import { indexKeys, keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';
import { emptyCounts, restartedCounts } from './failure-thresholds';
import {
  fromOfficeReleaseItem,
  fromReleaseItem,
  type OfficeRelease,
  type OfficeRun,
  officeReleaseItem,
  releaseItem,
} from './release-items';
import { type ReleaseAction, releaseMove } from './release-lifecycle';
import type { VersionLifecycles } from './version-lifecycles';

/**
 * Releases (docs/releases.md): an approved version made runnable in named offices stage
 * by stage — the canary offices first, then further stages or every office (`*`). Each
 * office's current release is its own item (ENC#<id> / OFFICE#<office>) with the ones it
 * replaced, so a rollback puts each office back where it was. Every transition is an
 * audit entry naming who, when and which offices.
 */
export class ReleaseStore {
  constructor(
    private readonly table: Table,
    private readonly audit: AuditLog,
    readonly lifecycles: VersionLifecycles,
    private readonly now: () => string,
  ) {}

  async create(id: string, version: number, request: CreateRelease, by: string): Promise<Release> {
    const encoding = await this.lifecycles.version(id, version);
    await this.lifecycles.markReleased(encoding, by); // VERSION_STATE unless approved (or released)
    const at = this.now();
    const stages = request.stages.map((stage) => [...new Set(stage)]);
    const first = stages[0] ?? [];
    const release: Release = {
      releaseId: randomUUID(),
      encodingId: id,
      version,
      sha256: encoding.sha256,
      state: 'ACTIVE',
      stages,
      stage: 0,
      offices: first,
      thresholds: {
        ...DEFAULT_RELEASE_THRESHOLDS,
        ...Object.fromEntries(Object.entries(request.thresholds ?? {}).filter(([, v]) => v !== undefined)),
      },
      counts: emptyCounts(),
      createdAt: at,
      createdBy: by,
      history: [{ action: 'release', at, by, offices: first }],
    };
    if (!(await this.table.putNew(releaseItem(release, 1))))
      throw new CardfleetError('CONFLICT', 'release id collision');
    await this.runIn(release, first);
    await this.record(release, 'release.create', by, at, first, {
      stages,
      thresholds: release.thresholds,
    });
    return release;
  }

  async get(releaseId: string): Promise<Release | undefined> {
    const item = await this.table.get(keys.release(releaseId));
    return item ? fromReleaseItem(item) : undefined;
  }

  async list(filter: { encodingId?: string; state?: ReleaseState }): Promise<Release[]> {
    const items = await this.table.query(indexKeys.releases, {
      index: 'GSI1',
      ...(filter.encodingId ? { beginsWith: `${filter.encodingId}#` } : {}),
    });
    return items.map(fromReleaseItem).filter((r) => !filter.state || r.state === filter.state);
  }

  /** An admin's transition: promote to the next stage, halt, resume, or roll the offices back. */
  async act(releaseId: string, action: ReleaseAction, by: string, reason?: string): Promise<Release> {
    const { release, at } = await this.rewrite(releaseId, (current, at) => {
      const state = releaseMove(current.state, action, `release ${releaseId}`);
      if (action === 'promote' && current.stage + 1 >= current.stages.length)
        throw new CardfleetError('RELEASE_STATE', `release ${releaseId} is at its last stage already`);
      const stage = action === 'promote' ? current.stage + 1 : current.stage;
      const offices = action === 'promote' ? (current.stages[stage] ?? []) : current.offices;
      const { halt: _resumed, ...rest } = current;
      return {
        ...(action === 'resume' ? { ...rest, counts: restartedCounts(current.counts) } : current),
        state,
        stage,
        offices: action === 'promote' ? [...current.offices, ...offices] : current.offices,
        ...(action === 'halt' ? { halt: { at, by, reason: reason ?? 'halted by an admin' } } : {}),
        history: [...current.history, { action, at, by, offices }],
      };
    });
    const offices = release.history.at(-1)?.offices ?? [];
    if (action === 'promote') await this.runIn(release, offices);
    const restored = action === 'rollback' ? await this.rollBack(release) : undefined;
    await this.record(release, `release.${action}`, by, at, offices, {
      ...(reason ? { reason } : {}),
      ...(restored ? { restored } : {}),
    });
    return release;
  }

  /** Retires a version no office runs any more (VERSION_STATE while one does: roll back first). */
  async retire(id: string, version: number, by: string, reason?: string) {
    const running = await this.officesRunning(id, version);
    if (running.length > 0)
      throw new CardfleetError(
        'VERSION_STATE',
        `encoding ${id} version ${version} still runs in ${running.join(', ')}: roll it back or release another version there first`,
        { details: { offices: running } },
      );
    return this.lifecycles.retire(await this.lifecycles.version(id, version), by, reason);
  }

  /** The release an office runs of an encoding (its own, else every office's), or undefined. */
  async officeRun(encodingId: string, office: string): Promise<OfficeRun | undefined> {
    const own = await this.table.get(keys.officeRelease(encodingId, office));
    const all = own ?? (await this.table.get(keys.officeRelease(encodingId, EVERY_OFFICE)));
    return all ? fromOfficeReleaseItem(all).current : undefined;
  }

  /** The offices (and `*`) whose current release of the encoding is on `version`. */
  async officesRunning(encodingId: string, version: number): Promise<string[]> {
    return (await this.officeReleases(encodingId))
      .filter((entry) => entry.current.version === version)
      .map((entry) => entry.office);
  }

  /**
   * Read-modify-write of a release under its item version (optimistic, retried); the
   * change may throw to refuse. Used by the admins' transitions and by result ingestion.
   */
  async rewrite(
    releaseId: string,
    change: (release: Release, at: string) => Release | undefined,
  ): Promise<{ release: Release; at: string; changed: boolean }> {
    return retryOptimistic(`release ${releaseId}`, async () => {
      const item = await this.table.get(keys.release(releaseId));
      if (!item) throw new CardfleetError('NOT_FOUND', `release ${releaseId} not found`);
      const current = fromReleaseItem(item);
      const at = this.now();
      const next = change(current, at);
      if (!next) return { release: current, at, changed: false };
      const version = Number(item.version);
      if (!(await this.table.putIfVersion(releaseItem(next, version + 1), version))) return LOST;
      return { release: next, at, changed: true };
    });
  }

  /** Audits a release transition: who, when, which offices (docs/releases.md, "Audit"). */
  async record(
    release: Release,
    action: string,
    by: string,
    at: string,
    offices: string[],
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.append({
      at,
      actor: by,
      action,
      office: offices.length === 1 && offices[0] !== EVERY_OFFICE ? (offices[0] ?? '*') : '*',
      encoding: { id: release.encodingId, version: release.version, sha256: release.sha256 },
      details: { releaseId: release.releaseId, offices, state: release.state, ...details },
    });
  }

  private async officeReleases(encodingId: string): Promise<OfficeRelease[]> {
    const items = await this.table.query(keys.encodingLatest(encodingId).PK, {
      beginsWith: keys.officeReleasePrefix,
    });
    return items.map(fromOfficeReleaseItem);
  }

  /**
   * The offices now run the release. Every office (`*`) also moves the offices that have
   * a release of their own, so "everyone" means everyone. Idempotent per office.
   */
  private async runIn(release: Release, offices: readonly string[]): Promise<void> {
    const targets = new Set(offices);
    if (targets.has(EVERY_OFFICE))
      for (const entry of await this.officeReleases(release.encodingId)) targets.add(entry.office);
    const run = { version: release.version, releaseId: release.releaseId };
    for (const office of targets)
      await this.changeOffice(release.encodingId, office, (entry) =>
        entry?.current.releaseId === release.releaseId
          ? undefined
          : { current: run, previous: [...(entry?.previous ?? []), entry?.current ?? null] },
      );
  }

  /** Every office on this release goes back to the release it ran before (or to none). */
  private async rollBack(release: Release): Promise<{ office: string; version: number | null }[]> {
    const restored: { office: string; version: number | null }[] = [];
    for (const entry of await this.officeReleases(release.encodingId)) {
      if (entry.current.releaseId !== release.releaseId) continue;
      // A release rolled back since is no place to return to: passed over.
      const ended = new Set<string>();
      for (const run of entry.previous)
        if (run && (await this.get(run.releaseId))?.state === 'ROLLED_BACK') ended.add(run.releaseId);
      await this.changeOffice(release.encodingId, entry.office, (now) => {
        if (now?.current.releaseId !== release.releaseId) return undefined;
        const previous = [...now.previous];
        let back = previous.pop() ?? null;
        while (back && ended.has(back.releaseId)) back = previous.pop() ?? null;
        return back ? { current: back, previous } : null;
      });
      // What the office runs now: its earlier release, every office's, or (null) legacy versions.
      const now = await this.officeRun(release.encodingId, entry.office);
      restored.push({ office: entry.office, version: now?.version ?? null });
    }
    return restored;
  }

  /** One office's item rewritten (`null`: removed; undefined: unchanged); its new value. */
  private async changeOffice(
    encodingId: string,
    office: string,
    change: (
      entry: OfficeRelease | undefined,
    ) => Omit<OfficeRelease, 'encodingId' | 'office'> | null | undefined,
  ): Promise<OfficeRelease | undefined> {
    return retryOptimistic(`office release ${encodingId} ${office}`, async () => {
      const key = keys.officeRelease(encodingId, office);
      const item = await this.table.get(key);
      const entry = item ? fromOfficeReleaseItem(item) : undefined;
      const next = change(entry);
      if (next === undefined) return entry;
      if (next === null) {
        await this.table.delete(key);
        return undefined;
      }
      const stored = item ? Number(item.version) : undefined;
      const value = { encodingId, office, ...next };
      return (await this.table.putIfVersion(officeReleaseItem(value, (stored ?? 0) + 1), stored))
        ? value
        : LOST;
    });
  }
}
