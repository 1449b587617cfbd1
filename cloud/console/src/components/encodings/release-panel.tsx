import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { approveVersion, retireVersion, type VersionLifecycle } from '../../api/encodings-api';
import { Button, ErrorNote, Time } from '../ui';
import { useConfirm } from './confirm-dialog';
import { ReleaseForm } from './release-form';
import { VersionBadge } from './version-table';

/** A refusal said in the words of the release workflow (docs/releases.md); others as the API said them. */
function Refusal({ error, version }: { error: unknown; version: number }) {
  if (error instanceof ApiError && error.code === 'SELF_APPROVAL')
    return (
      <div class="note note-error" role="alert">
        <p class="note-title">You pushed version {version}, so you cannot approve it.</p>
        <p>
          Releases take four eyes: a second admin reads the changes and approves. Ask another admin to open
          this page and approve version {version}.
        </p>
        <p class="note-detail">
          The API said: {error.message} ({error.code})
        </p>
      </div>
    );
  return <ErrorNote error={error} />;
}

/**
 * The selected version's lifecycle and the admin's moves on it (docs/releases.md): approve
 * (a second admin), release to offices in stages, retire. Each answer reloads the page's
 * versions and releases.
 */
export function ReleasePanel({
  id,
  lifecycle,
  onChanged,
  onShowDiff,
  released,
}: {
  id: string;
  lifecycle: VersionLifecycle;
  /** The newest lower version that is released: what an approver compares the draft with. */
  released?: number | undefined;
  onChanged: () => void;
  onShowDiff: (from: number, to: number) => void;
}) {
  const { version, status } = lifecycle;
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [replaces, setReplaces] = useState<number | null>(null);
  const { dialog, ask } = useConfirm();
  const act = async (what: () => Promise<unknown>, message: string) => {
    setError(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(message);
      onChanged();
    } catch (caught) {
      setError(caught);
    }
  };
  const approve = () =>
    act(
      async () => setReplaces((await approveVersion(id, version)).replaces),
      `Version ${version} is approved.`,
    );
  const retire = async () => {
    const answer = await ask({
      title: `Retire version ${version}?`,
      message: `A retired version runs nowhere, not even for admins, and cannot be released again.`,
      confirm: `Retire version ${version}`,
      reason: true,
    });
    if (answer)
      await act(
        () => retireVersion(id, version, answer.reason || undefined),
        `Version ${version} is retired.`,
      );
  };

  return (
    <section class="panel" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Release workflow for version {version}</h2>
      <p>
        State: <VersionBadge state={lifecycle.legacy ? `${status} (legacy)` : status} /> · pushed by{' '}
        {lifecycle.uploadedBy}
        {lifecycle.approvedBy ? (
          <>
            {' '}
            · approved by {lifecycle.approvedBy} <Time at={lifecycle.approvedAt} />
          </>
        ) : null}
        {lifecycle.retiredBy ? (
          <>
            {' '}
            · retired by {lifecycle.retiredBy} <Time at={lifecycle.retiredAt} />
          </>
        ) : null}
      </p>
      <div role="status">
        {done ? (
          <p class="note note-good">
            {done}{' '}
            {replaces ? (
              <button type="button" class="link-button" onClick={() => onShowDiff(replaces, version)}>
                See what changed since version {replaces}
              </button>
            ) : null}
          </p>
        ) : null}
      </div>
      <Refusal error={error} version={version} />
      {status === 'draft' ? (
        <div class="panel-step">
          <p>A second admin (not {lifecycle.uploadedBy}) approves a draft after reading what it changes.</p>
          {released ? (
            <p>
              <button type="button" class="link-button" onClick={() => onShowDiff(released, version)}>
                Read what changes since version {released} (released)
              </button>
            </p>
          ) : null}
          <Button kind="primary" onClick={approve}>
            Approve version {version}
          </Button>
        </div>
      ) : null}
      {status === 'approved' || status === 'released' ? (
        <ReleaseForm
          id={id}
          version={version}
          onReleased={(offices) => {
            setError(undefined);
            setReplaces(null);
            setDone(`Version ${version} is released to ${offices}.`);
            onChanged();
          }}
        />
      ) : null}
      {status !== 'retired' ? (
        <div class="panel-step">
          <Button kind="danger" onClick={retire}>
            Retire version {version}…
          </Button>
        </div>
      ) : null}
      {dialog}
    </section>
  );
}
