import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { type EncodingDiff, paths } from '../../api/encodings-api';
import { Button, ErrorNote, Field, Loading } from '../ui';
import { DiffView } from './diff-view';

/**
 * Choose two versions and see what changed between them, secrets redacted (docs/api.md).
 * Given `initial.from` (after an approval: the version it replaces), it compares at once.
 */
export function CompareVersions({
  id,
  versions,
  initial,
}: {
  id: string;
  versions: number[];
  initial: { from?: number; to: number };
}) {
  const [to, setTo] = useState(initial.to);
  const [from, setFrom] = useState(initial.from ?? Math.max(1, initial.to - 1));
  const [diff, setDiff] = useState<EncodingDiff>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (initial.from === undefined) return;
    // Asked from the workflow panel: take the reader (and focus) to the comparison.
    heading.current?.focus();
    run();
  }, []);
  const compare = (event: Event) => {
    event.preventDefault();
    run();
  };
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setDiff(await api.get<EncodingDiff>(paths.diff(id, from, to)));
    } catch (caught) {
      setDiff(undefined);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const choice = (label: string, key: string, value: number, set: (n: number) => void) => (
    <Field id={`compare-${key}`} label={label}>
      <select
        id={`compare-${key}`}
        value={String(value)}
        onChange={(e) => set(Number((e.currentTarget as HTMLSelectElement).value))}
      >
        {versions.map((v) => (
          <option key={v} value={String(v)}>
            Version {v}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <section aria-labelledby="compare-heading">
      <h2 id="compare-heading" ref={heading} tabIndex={-1}>
        Compare two versions
      </h2>
      {versions.length < 2 ? (
        <p>There is one version only.</p>
      ) : (
        <form class="inline-form" onSubmit={compare}>
          {choice('From', 'from', from, setFrom)}
          {choice('To', 'to', to, setTo)}
          <Button kind="primary" type="submit" disabled={busy}>
            Compare
          </Button>
        </form>
      )}
      <ErrorNote error={error} />
      {busy ? <Loading what="Comparing" /> : null}
      <p class="visually-hidden" aria-live="polite">
        {diff && !busy
          ? `${diff.files.length} file(s) differ between version ${diff.from} and ${diff.to}`
          : ''}
      </p>
      {diff && !busy ? <DiffView diff={diff} /> : null}
    </section>
  );
}
