import { useEffect, useState } from 'preact/hooks';
import { type AuditCheckpoint, type AuditVerify, verifyAuditLog } from '../../api/audit-search-api';
import { Button, ErrorNote, Loading, Time, useApi } from '../ui';
import { checkpointKeyId } from './checkpoint-header';
import { type CheckpointTrust, checkLatestCheckpoint, type Since } from './checkpoint-trust';

/**
 * The chain's state (docs/security.md, "An auditor"): the newest signed checkpoint — the
 * cloud answers it only after checking its signature and that it is the witness's newest —
 * and, on request, a verification of the log from the entries up.
 */
export function ChainStatus() {
  const checkpoint = useApi<AuditCheckpoint>('/v1/audit/checkpoint');
  const [verify, setVerify] = useState<{ running: boolean; answer?: AuditVerify; error?: unknown }>({
    running: false,
  });
  const run = async () => {
    setVerify({ running: true });
    try {
      setVerify({ running: false, answer: await verifyAuditLog() });
    } catch (error) {
      setVerify({ running: false, error });
    }
  };
  const cp = checkpoint.data;
  const [trust, setTrust] = useState<CheckpointTrust>();
  useEffect(() => {
    if (!cp || cp.index === 0) return;
    checkLatestCheckpoint(cp, window.localStorage, () => new Date()).then(setTrust, (error: unknown) =>
      setTrust({
        ok: false,
        reason: `could not be checked here: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
  }, [cp]);
  return (
    <section class="card audit-chain" aria-labelledby="audit-chain-title">
      <h2 id="audit-chain-title">Chain status</h2>
      {checkpoint.loading ? <Loading what="Reading the newest checkpoint" /> : null}
      <ErrorNote error={checkpoint.error} />
      {cp?.index === 0 ? <p>No checkpoint yet: the first follows the first entries.</p> : null}
      {cp && cp.index > 0 ? (
        <dl class="audit-facts" data-testid="latest-checkpoint">
          <dt>Latest checkpoint</dt>
          <dd>#{cp.index}</dd>
          <dt>Entries covered</dt>
          <dd>{cp.size}</dd>
          <dt>Signed at</dt>
          <dd>
            <Time at={cp.at} />
          </dd>
          <dt>Key id</dt>
          <dd class="mono">{checkpointKeyId(cp.checkpoint) ?? 'not named'}</dd>
          <dt>Signature</dt>
          <dd data-testid="checkpoint-signature">
            {trust === undefined ? (
              'checking in this browser…'
            ) : trust.ok ? (
              <>
                <span aria-hidden="true">✓ </span>verified in this browser with the published key{' '}
                {trust.keyId}
              </>
            ) : (
              <strong class="audit-bad">
                <span aria-hidden="true">✗ </span>
                {trust.reason}
              </strong>
            )}
          </dd>
          {trust?.ok ? (
            <>
              <dt>Since your last check</dt>
              <dd data-testid="checkpoint-since">
                <SinceLine since={trust.since} />
              </dd>
            </>
          ) : null}
          <dt>Witness</dt>
          <dd>
            <span aria-hidden="true">✓ </span>the witness's newest (checked by the cloud)
          </dd>
          <dt>Root</dt>
          <dd>
            <code class="audit-hash">{cp.root}</code>
          </dd>
        </dl>
      ) : null}
      <div class="page-actions">
        <Button onClick={run} disabled={verify.running}>
          {verify.running ? 'Verifying the log…' : 'Verify the log now'}
        </Button>
      </div>
      <div aria-live="polite">
        <ErrorNote error={verify.error} />
        {verify.answer ? <VerifyAnswer answer={verify.answer} /> : null}
      </div>
    </section>
  );
}

function SinceLine({ since }: { since: Since }) {
  if (since.kind === 'broken')
    return (
      <strong class="audit-bad">
        <span aria-hidden="true">✗ </span>
        {since.reason}
      </strong>
    );
  if (since.kind === 'first')
    return <>first checkpoint verified in this browser: kept to compare next time</>;
  return (
    <>
      <span aria-hidden="true">✓ </span>
      {since.kind === 'same' ? 'the same checkpoint' : `extends checkpoint #${since.kept.index}`}, verified
      here at <Time at={since.kept.verifiedAt} />
    </>
  );
}

function VerifyAnswer({ answer }: { answer: AuditVerify }) {
  return (
    <div class={`note ${answer.ok ? 'note-good' : 'note-error'}`}>
      <p class="audit-verdict">
        <span aria-hidden="true">{answer.ok ? '✓ ' : '✗ '}</span>
        {answer.ok ? 'The log verifies' : 'The log does NOT verify'}: {answer.entries} entries checked
        {answer.checkpoint ? ` up to checkpoint #${answer.checkpoint.index}` : ''}; {answer.uncovered} not yet
        under a checkpoint.
      </p>
      {answer.reason ? <p>{answer.reason}</p> : null}
      {answer.problems.length > 0 ? (
        <ul>
          {answer.problems.map((p) => (
            <li key={`${p.shard}-${p.seq}`}>
              Shard {p.shard}, entry {p.seq}: {p.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {answer.quarantined.length > 0 ? (
        <p>
          Quarantined:{' '}
          {answer.quarantined
            .map((q) => `shard ${q.shard} entries ${q.from}–${q.to} (${q.reason}, by ${q.by})`)
            .join('; ')}
        </p>
      ) : null}
      {answer.alerts.length > 0 ? (
        <p>
          Alerts:{' '}
          {answer.alerts
            .map(
              (a) =>
                `shard ${a.shard} entry ${a.seq}: ${a.reason}${a.repaired ? ` (repaired: ${a.repaired})` : ''}`,
            )
            .join('; ')}
        </p>
      ) : null}
    </div>
  );
}
