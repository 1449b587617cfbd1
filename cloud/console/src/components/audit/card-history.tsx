import { useState } from 'preact/hooks';
import type { EntryCheck } from '../../audit/proof-check';
import { Button, ErrorNote, Time } from '../ui';
import { checkCardHistory, type HistoryVerdict } from './card-history-check';

const MARK: Record<EntryCheck['status'], { icon: string; label: string; tone: string }> = {
  verified: { icon: '✓', label: 'Verified', tone: 'good' },
  failed: { icon: '✗', label: 'Failed', tone: 'bad' },
  pending: { icon: '◷', label: 'Not yet in a checkpoint', tone: 'busy' },
};

/**
 * A card's history checked in this browser (docs/security.md, "An auditor"): the cloud
 * hands the card's entries with inclusion proofs, and this page — not the cloud — checks
 * each against the signed checkpoint and the published key, so a cloud that lied would
 * be caught here.
 */
export function CardHistory({ cardSerial }: { cardSerial: string }) {
  const [state, setState] = useState<{ running: boolean; verdict?: HistoryVerdict; error?: unknown }>({
    running: false,
  });
  const run = async () => {
    setState({ running: true });
    try {
      setState({ running: false, verdict: await checkCardHistory(cardSerial) });
    } catch (error) {
      setState({ running: false, error });
    }
  };
  const { verdict } = state;
  return (
    <section class="card audit-history" aria-labelledby="card-history-title">
      <h2 id="card-history-title">
        History of card <span class="mono">{cardSerial}</span>
      </h2>
      <p>
        Check every entry of this card against the latest signed checkpoint, here in your browser, with the
        cloud's published key.
      </p>
      <Button kind="primary" onClick={run} disabled={state.running}>
        {state.running ? 'Verifying…' : 'Verify in this browser'}
      </Button>
      <div aria-live="polite" data-testid="card-history-result">
        <ErrorNote error={state.error} />
        {verdict ? <p class="audit-verdict">{summary(verdict)}</p> : null}
        {verdict?.problem ? <p class="note note-error">The checkpoint fails: {verdict.problem}</p> : null}
      </div>
      {verdict?.checkpoint ? (
        <p class="audit-muted">
          Key thumbprint (RFC 7638), to compare with a copy of the key kept elsewhere:{' '}
          <code class="audit-hash">{verdict.checkpoint.keyThumbprint}</code>
        </p>
      ) : null}
      {verdict && verdict.entries.length === 0 ? <p>No entries name this card.</p> : null}
      {verdict && verdict.entries.length > 0 ? (
        <ol class="audit-history-list">
          {verdict.entries.map(({ entry, mark }) => {
            const look = MARK[mark.status];
            return (
              <li key={`${mark.shard}-${mark.seq}`} class="audit-history-item">
                <span class={`badge badge-${look.tone}`}>
                  <span aria-hidden="true">{look.icon} </span>
                  {look.label}
                </span>{' '}
                {entry ? (
                  <>
                    <span class="mono">{entry.action}</span> by {entry.actor}, <Time at={entry.at} />
                    {entry.agentId ? ` on ${entry.agentId}` : ''}
                  </>
                ) : (
                  'an entry'
                )}{' '}
                <span class="audit-muted">
                  (shard {mark.shard}, entry {mark.seq})
                </span>
                <p class={mark.status === 'failed' ? 'audit-reason' : 'audit-muted audit-mark-reason'}>
                  {mark.reason}
                </p>
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}

/** "7 of 7 entries verified against checkpoint #12 signed by key k1 at …" */
function summary(verdict: HistoryVerdict): string {
  const count = (status: EntryCheck['status']) =>
    verdict.entries.filter((e) => e.mark.status === status).length;
  const covered = verdict.entries.length - count('pending');
  const cp = verdict.checkpoint;
  const against = cp
    ? `checkpoint #${cp.index} signed by key ${cp.keyId} at ${new Date(cp.at).toLocaleString()}`
    : 'the latest checkpoint';
  const parts = [
    `${count('verified')} of ${covered} ${covered === 1 ? 'entry' : 'entries'} verified against ${against}.`,
  ];
  if (count('failed') > 0) parts.push(`${count('failed')} failed.`);
  if (count('pending') > 0)
    parts.push(`${count('pending')} newer than the checkpoint: a later checkpoint will cover them.`);
  return parts.join(' ');
}
