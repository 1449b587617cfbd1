import type { EncodingVersionView } from '../../api/encodings-api';
import { Time } from '../ui';
import { SourceLines } from './source-lines';

/**
 * One version as readers see it: its applications, secret fields and files, with every
 * secret literal already replaced by `[REDACTED]` by the API (docs/security.md) — the
 * console never sees a bundle's secrets.
 */
export function VersionFiles({ view }: { view: EncodingVersionView }) {
  return (
    <section aria-labelledby="version-files-heading">
      <h2 id="version-files-heading">Version {view.version}</h2>
      <dl class="facts">
        <div>
          <dt>Pushed</dt>
          <dd>
            <Time at={view.createdAt} /> by {view.createdBy}
          </dd>
        </div>
        <div>
          <dt>sha256</dt>
          <dd class="mono">{view.sha256}</dd>
        </div>
        <div>
          <dt>Applications</dt>
          <dd>{view.applications.map((a) => `${a.name} (${a.kind})`).join(', ') || '—'}</dd>
        </div>
        <div>
          <dt>Secret fields</dt>
          <dd>{view.secretFields.join(', ') || 'none'}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{view.bundleBytes} bytes</dd>
        </div>
      </dl>
      <p class="field-hint">Secret values in these files are shown as [REDACTED].</p>
      {view.files.map((file, index) => (
        <details class="version-file" key={file.name} open={index < 2}>
          <summary class="mono">{file.name}</summary>
          <SourceLines name={file.name} text={file.text} />
        </details>
      ))}
    </section>
  );
}
