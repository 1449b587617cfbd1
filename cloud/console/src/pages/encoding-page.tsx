import { useState } from 'preact/hooks';
import { may } from '../access';
import { paths, type Release } from '../api/encodings-api';
import { CompareVersions } from '../components/encodings/compare-versions';
import { DryRunPanel } from '../components/encodings/dry-run-panel';
import { ReleaseList } from '../components/encodings/release-list';
import { ReleasePanel } from '../components/encodings/release-panel';
import { PAGE, useVersions } from '../components/encodings/use-versions';
import { VersionFiles } from '../components/encodings/version-files';
import { VersionTable } from '../components/encodings/version-table';
import { Link } from '../components/link';
import { Button, ErrorNote, Loading, PageHeader, useApi } from '../components/ui';
import type { PageProps } from './page-props';

/**
 * One encoding: its versions with their lifecycle, a version's (redacted) files, the diff
 * of two versions, and for admins the release workflow (docs/releases.md) and dry runs.
 * The shown version is in the address (`?version=N`), so it can be bookmarked or shared.
 */
export function EncodingPage({ identity, route }: PageProps) {
  const id = route.params.id ?? '';
  const [count, setCount] = useState(PAGE);
  const versions = useVersions(id, count);
  const releases = useApi<{ items: Release[] }>(paths.releases(id));
  const [chosen, setChosen] = useState<number | undefined>(Number(route.search.get('version')) || undefined);
  const [compare, setCompare] = useState<{ from: number; to: number; seq: number }>();
  const admin = may.manageReleases(identity);
  const rows = versions.rows ?? [];
  const selected = rows.find((r) => r.view.version === chosen) ?? rows[0];
  const pushed = route.search.has('pushed') && chosen !== undefined;

  const select = (version: number) => {
    setChosen(version);
    const search = new URLSearchParams(window.location.search);
    search.set('version', String(version));
    search.delete('pushed');
    window.history.replaceState(null, '', `${window.location.pathname}?${search}`);
  };
  const changed = () => {
    versions.reload();
    releases.reload();
  };

  return (
    <>
      <PageHeader title={`Encoding ${id}`}>
        <Link to="/encodings">All encodings</Link>
      </PageHeader>
      {pushed ? (
        <p class="note note-good" role="status">
          Version {chosen} of {id} was pushed. It is a draft until a second admin approves it.
        </p>
      ) : null}
      <ErrorNote error={versions.error} />
      {!versions.rows && !versions.error ? <Loading what="Loading versions" /> : null}
      {rows.length ? (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading">Versions</h2>
          <VersionTable rows={rows} selected={selected?.view.version} onSelect={select} />
          {(versions.latest ?? 0) > rows.length ? (
            <Button onClick={() => setCount(count + PAGE)}>Show older versions</Button>
          ) : null}
        </section>
      ) : null}
      {admin && selected?.lifecycle ? (
        <ReleasePanel
          key={selected.view.version}
          id={id}
          lifecycle={selected.lifecycle}
          released={
            rows.find((r) => r.view.version < selected.view.version && r.lifecycle?.status === 'released')
              ?.view.version
          }
          onChanged={changed}
          onShowDiff={(from, to) => setCompare({ from, to, seq: (compare?.seq ?? 0) + 1 })}
        />
      ) : null}
      <ErrorNote error={releases.error} />
      {releases.data && rows.length ? (
        <ReleaseList releases={releases.data.items} admin={admin} onChanged={changed} />
      ) : null}
      {rows.length ? (
        <CompareVersions
          key={compare?.seq ?? 0}
          id={id}
          versions={rows.map((r) => r.view.version)}
          initial={compare ?? { to: selected?.view.version ?? rows[0]?.view.version ?? 1 }}
        />
      ) : null}
      {selected ? <VersionFiles view={selected.view} /> : null}
      {selected && may.dryRun(identity) ? (
        <DryRunPanel key={selected.view.version} view={selected.view} />
      ) : null}
    </>
  );
}
