import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { type EncodingVersionView, paths, type VersionLifecycle } from '../../api/encodings-api';

export interface VersionRow {
  view: EncodingVersionView;
  /** Undefined when the lifecycle route refused or failed: the row still shows the version. */
  lifecycle: VersionLifecycle | undefined;
}

/** How many versions the page loads (newest first); older ones are behind "show older". */
export const PAGE = 20;

/**
 * An encoding's versions, newest first, each with its lifecycle (draft, approved,
 * released, retired; docs/releases.md). Versions are numbered 1…latest without gaps
 * (cloud/src/encodings/encoding-store.ts), so the latest view says which to fetch.
 */
export function useVersions(id: string, count: number) {
  const [rows, setRows] = useState<VersionRow[]>();
  const [latest, setLatest] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    (async () => {
      const newest = await api.get<EncodingVersionView>(`/v1/encodings/${encodeURIComponent(id)}`);
      const numbers = Array.from({ length: Math.min(count, newest.version) }, (_, i) => newest.version - i);
      const loaded = await Promise.all(
        numbers.map(async (n) => {
          const [view, lifecycle] = await Promise.all([
            n === newest.version ? newest : api.get<EncodingVersionView>(paths.version(id, n)),
            api.get<VersionLifecycle>(paths.lifecycle(id, n)).catch(() => undefined),
          ]);
          return { view, lifecycle };
        }),
      );
      if (!current) return;
      setLatest(newest.version);
      setRows(loaded);
      setError(undefined);
    })().catch((caught: unknown) => current && setError(caught));
    return () => {
      current = false;
    };
  }, [id, count, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { rows, latest, error, reload };
}

/** The version's state word: the lifecycle's status, `legacy` for versions from before releases. */
export function versionState(row: VersionRow): string {
  if (!row.lifecycle) return row.view.managed ? 'unknown' : 'legacy';
  return row.lifecycle.legacy ? `${row.lifecycle.status} (legacy)` : row.lifecycle.status;
}
