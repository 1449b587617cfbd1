import { Table, Time } from '../ui';
import { type VersionRow, versionState } from './use-versions';

const TONE: Record<string, string> = { released: 'good', approved: 'busy', draft: 'muted', retired: 'bad' };

/** A version's lifecycle state as a word with a tone (the word carries the meaning). */
export function VersionBadge({ state }: { state: string }) {
  return <span class={`badge badge-${TONE[state.split(' ')[0] ?? ''] ?? 'muted'}`}>{state}</span>;
}

/** The versions, newest first; choosing one shows its files, lifecycle and actions below. */
export function VersionTable({
  rows,
  selected,
  onSelect,
}: {
  rows: VersionRow[];
  selected: number | undefined;
  onSelect: (version: number) => void;
}) {
  return (
    <Table caption="Versions, newest first">
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">State</th>
          <th scope="col">Pushed</th>
          <th scope="col">By</th>
          <th scope="col">sha256</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const { version, createdAt, createdBy, sha256 } = row.view;
          const current = version === selected;
          return (
            <tr key={version} class={current ? 'row-current' : undefined}>
              <td>
                <button
                  type="button"
                  class="link-button"
                  aria-pressed={current}
                  onClick={() => onSelect(version)}
                >
                  v{version}
                </button>
              </td>
              <td>
                <VersionBadge state={versionState(row)} />
              </td>
              <td>
                <Time at={createdAt} />
              </td>
              <td>{createdBy}</td>
              <td>
                <span class="mono" title={sha256}>
                  {sha256.slice(0, 12)}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
