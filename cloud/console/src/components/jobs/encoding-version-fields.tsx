import { useEffect, useState } from 'preact/hooks';
import { listEncodings, runnableVersions } from '../../api/job-form-api';
import { describedBy, Field } from '../ui';

/**
 * The encoding and the version a job or batch runs: the versions the office may run now
 * (GET /v1/encodings/:id/runnable, docs/releases.md), newest first. Without an office yet
 * (no agent chosen) no version is offered.
 */
export function EncodingVersionFields({
  office,
  encodingId,
  version,
  onEncoding,
  onVersion,
  error,
}: {
  office: string | undefined;
  encodingId: string;
  version: number | undefined;
  onEncoding: (encodingId: string) => void;
  onVersion: (version: number | undefined) => void;
  error?: string | undefined;
}) {
  const [encodings, setEncodings] = useState<{ id: string; latestVersion: number }[]>([]);
  const [versions, setVersions] = useState<number[]>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    listEncodings().then(setEncodings, () => setProblem('The encodings could not be listed.'));
  }, []);
  useEffect(() => {
    setVersions(undefined);
    if (!encodingId || !office) return;
    let current = true;
    runnableVersions(encodingId, office).then(
      (found) => {
        if (!current) return;
        const newest = [...found].sort((a, b) => b - a);
        setVersions(newest);
        setProblem(undefined);
        onVersion(newest[0]);
      },
      () => current && setProblem('The versions this office may run could not be read.'),
    );
    return () => {
      current = false;
    };
  }, [encodingId, office]);

  const versionHint =
    problem ??
    (!office
      ? 'Choose the agent first: the versions depend on its office.'
      : versions && versions.length === 0
        ? `No version of ${encodingId} is released to ${office}.`
        : undefined);
  return (
    <>
      <Field id="job-encoding" label="Encoding">
        <select
          id="job-encoding"
          required
          value={encodingId}
          onChange={(e) => onEncoding(e.currentTarget.value)}
        >
          <option value="">Choose an encoding</option>
          {encodings.map((e) => (
            <option key={e.id} value={e.id}>
              {e.id}
            </option>
          ))}
        </select>
      </Field>
      <Field id="job-version" label="Version" hint={versionHint} error={error}>
        <select
          id="job-version"
          required
          value={version === undefined ? '' : String(version)}
          disabled={!versions || versions.length === 0}
          aria-describedby={describedBy('job-version', versionHint, error)}
          onChange={(e) => onVersion(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}
        >
          <option value="">Choose a version</option>
          {(versions ?? []).map((v, i) => (
            <option key={v} value={String(v)}>
              v{v}
              {i === 0 ? ' (newest runnable)' : ''}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
