import { type ComponentChildren, Fragment } from 'preact';
import type { AuditEntryView } from '../../api/audit-search-api';
import { Time } from '../ui';

/** Every field of one entry; hashes and the MAC in monospace (they are compared by eye). */
export function AuditEntryDetail({ entry }: { entry: AuditEntryView }) {
  const rows: [string, ComponentChildren][] = [
    ['Position', `shard ${entry.shard}, entry ${entry.seq}`],
    ['At', <Time key="at" at={entry.at} />],
    ['Actor', entry.actor],
    ['Action', entry.action],
    ['Office', entry.office],
    ['Agent', entry.agentId ?? '—'],
    ['Card serial', entry.cardSerial ? <span class="mono">{entry.cardSerial}</span> : '—'],
  ];
  if (entry.encoding)
    rows.push([
      'Encoding',
      <span key="encoding">
        {entry.encoding.id} version {entry.encoding.version}, sha256{' '}
        <code class="audit-hash">{entry.encoding.sha256}</code>
      </span>,
    ]);
  rows.push(
    [
      'Hash',
      <code key="hash" class="audit-hash">
        {entry.hash}
      </code>,
    ],
    [
      'Previous hash',
      <code key="prev" class="audit-hash">
        {entry.prevHash}
      </code>,
    ],
  );
  if (entry.mac)
    rows.push([
      'MAC',
      <code key="mac" class="audit-hash">
        {entry.mac}
      </code>,
    ]);
  return (
    <div class="audit-detail">
      <dl class="audit-facts">
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      {entry.details && Object.keys(entry.details).length > 0 ? (
        <>
          <h3 class="audit-detail-heading">Details</h3>
          <pre class="audit-json">
            <code>{JSON.stringify(entry.details, null, 2)}</code>
          </pre>
        </>
      ) : null}
    </div>
  );
}
