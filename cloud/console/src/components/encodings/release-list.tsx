import { useState } from 'preact/hooks';
import { moveRelease, type Release, type ReleaseAction } from '../../api/encodings-api';
import { Button, ErrorNote, StatusBadge, Table, Time } from '../ui';
import { type ConfirmRequest, useConfirm } from './confirm-dialog';

const officeList = (offices: string[]) => offices.map((o) => (o === '*' ? 'every office' : o)).join(', ');

/** What each move does, for its confirmation (docs/releases.md, "Releases"). */
const CONFIRM: Partial<Record<ReleaseAction, (r: Release) => ConfirmRequest>> = {
  halt: (r) => ({
    title: `Halt the release of version ${r.version}?`,
    message: `No new job starts on it in ${officeList(r.offices)}; its queued jobs are held until it resumes.`,
    confirm: 'Halt the release',
    reason: true,
  }),
  rollback: (r) => ({
    title: `Roll back the release of version ${r.version}?`,
    message: `${officeList(r.offices)} go back to the version they ran before. A rolled-back release cannot be resumed.`,
    confirm: 'Roll back',
    reason: true,
  }),
};

/** The moves the release's state allows (ACTIVE: promote, halt, roll back; HALTED: resume, roll back). */
function movesOf(release: Release): { action: ReleaseAction; label: string }[] {
  const next = release.stages[release.stage + 1];
  if (release.state === 'ACTIVE')
    return [
      ...(next ? [{ action: 'promote' as const, label: `Promote to ${officeList(next)}` }] : []),
      { action: 'halt', label: 'Halt…' },
      { action: 'rollback', label: 'Roll back…' },
    ];
  if (release.state === 'HALTED')
    return [
      { action: 'resume', label: 'Resume' },
      { action: 'rollback', label: 'Roll back…' },
    ];
  return [];
}

function ReleaseCard({
  release,
  admin,
  onChanged,
}: {
  release: Release;
  admin: boolean;
  onChanged: () => void;
}) {
  const [error, setError] = useState<unknown>();
  const { dialog, ask } = useConfirm();
  const move = async (action: ReleaseAction) => {
    const confirm = CONFIRM[action];
    const answer = confirm ? await ask(confirm(release)) : { reason: '' };
    if (!answer) return;
    setError(undefined);
    try {
      await moveRelease(release.releaseId, action, answer.reason || undefined);
      onChanged();
    } catch (caught) {
      setError(caught);
    }
  };
  const heading = `release-${release.releaseId}`;
  return (
    <li class="release card">
      <h3 id={heading}>
        Version {release.version} <StatusBadge state={release.state} />
      </h3>
      <p class="release-meta">
        Released to <strong class="release-offices">{officeList(release.offices)}</strong> · created by{' '}
        {release.createdBy} <Time at={release.createdAt} />
      </p>
      {release.halt ? (
        <p class="note note-error">
          Halted by {release.halt.by} <Time at={release.halt.at} />: {release.halt.reason}
        </p>
      ) : null}
      <ol class="stages" aria-label="Stages">
        {release.stages.map((stage, index) => (
          <li key={stage.join(',')} class={index <= release.stage ? 'stage-reached' : 'stage-waiting'}>
            {index === 0 ? 'Canary' : `Stage ${index + 1}`}: {officeList(stage)} —{' '}
            {index <= release.stage ? 'reached' : 'not yet'}
          </li>
        ))}
      </ol>
      <p>
        Counted jobs: {release.counts.counted}, failed: {release.counts.failed}, not counted:{' '}
        {release.counts.ignored}
      </p>
      <ErrorNote error={error} />
      {admin && movesOf(release).length ? (
        <div class="form-actions">
          {movesOf(release).map(({ action, label }) => (
            <Button
              key={action}
              kind={action === 'promote' || action === 'resume' ? 'primary' : 'danger'}
              onClick={() => move(action)}
            >
              {label}
            </Button>
          ))}
        </div>
      ) : null}
      <details>
        <summary>History ({release.history.length})</summary>
        <Table caption={`History of the release of version ${release.version}`}>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">Offices</th>
            </tr>
          </thead>
          <tbody>
            {release.history.map((entry) => (
              <tr key={`${entry.at}-${entry.action}`}>
                <td>{entry.action}</td>
                <td>{entry.by}</td>
                <td>
                  <Time at={entry.at} />
                </td>
                <td>{officeList(entry.offices)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </details>
      {dialog}
    </li>
  );
}

/** The encoding's releases, newest first, with the admin's moves on each (docs/releases.md). */
export function ReleaseList({
  releases,
  admin,
  onChanged,
}: {
  releases: Release[];
  admin: boolean;
  onChanged: () => void;
}) {
  const sorted = [...releases].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return (
    <section aria-labelledby="releases-heading">
      <h2 id="releases-heading">Releases</h2>
      {sorted.length === 0 ? (
        <p>No release yet: an approved version is released from its workflow panel.</p>
      ) : null}
      <ul class="release-list">
        {sorted.map((release) => (
          <ReleaseCard key={release.releaseId} release={release} admin={admin} onChanged={onChanged} />
        ))}
      </ul>
    </section>
  );
}
