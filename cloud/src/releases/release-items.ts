import type { Release, VersionStatus } from '@cardfleet/shared';
import { indexKeys, keys } from '../storage/table-design';
import type { Item } from '../storage/table-port';

/**
 * The release items as the table holds them (table-design.ts; docs/releases.md, "Where
 * it is kept"): a release, a version's lifecycle record, and per office the release it
 * runs — with the ones before it, so a rollback knows where to go back to.
 */
export type StoredRelease = Release;

export function releaseItem(release: StoredRelease, version: number): Item {
  return {
    ...keys.release(release.releaseId),
    ...indexKeys.releasesEntry(release.encodingId, release.createdAt, release.releaseId),
    releaseId: release.releaseId,
    release: JSON.stringify(release),
    state: release.state,
    version,
  };
}

export const fromReleaseItem = (item: Item): StoredRelease =>
  JSON.parse(String(item.release)) as StoredRelease;

/** A lifecycle record; none for a version nobody approved, released or retired yet. */
export interface LifecycleRecord {
  status: VersionStatus;
  approvedBy?: string;
  approvedAt?: string;
  retiredBy?: string;
  retiredAt?: string;
}

export function lifecycleItem(id: string, encodingVersion: number, record: LifecycleRecord, version: number) {
  return {
    ...keys.versionLifecycle(id, encodingVersion),
    encodingId: id,
    encodingVersion,
    lifecycle: JSON.stringify(record),
    version,
  };
}

export const fromLifecycleItem = (item: Item): LifecycleRecord =>
  JSON.parse(String(item.lifecycle)) as LifecycleRecord;

/** What an office runs of an encoding: `null` in `previous` is "no release" (the legacy rule). */
export interface OfficeRun {
  version: number;
  releaseId: string;
}

export interface OfficeRelease {
  encodingId: string;
  office: string;
  current: OfficeRun;
  previous: (OfficeRun | null)[];
}

export function officeReleaseItem(entry: OfficeRelease, version: number): Item {
  return {
    ...keys.officeRelease(entry.encodingId, entry.office),
    encodingId: entry.encodingId,
    office: entry.office,
    current: JSON.stringify(entry.current),
    previous: JSON.stringify(entry.previous),
    version,
  };
}

export function fromOfficeReleaseItem(item: Item): OfficeRelease {
  return {
    encodingId: String(item.encodingId),
    office: String(item.office),
    current: JSON.parse(String(item.current)) as OfficeRun,
    previous: JSON.parse(String(item.previous)) as (OfficeRun | null)[],
  };
}
