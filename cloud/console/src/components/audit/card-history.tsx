import { useState } from 'preact/hooks';
import { type AuditCardProof, type AuditEntryView, proveCard } from '../../api/audit-search-api';
import { Button, ErrorNote, Time } from '../ui';
import { checkCardHistory, type EntryMark, type HistoryVerdict } from './card-history-check';

const MARK: Record<EntryMark['status'], { icon: string; label: string; tone: string }> = {
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
  const [state, setState] = useState<{
    running: boolean;
    proof?: AuditCardProof;
    verdict?: HistoryVerdict;
    error?: unknown;
  }>({ running: false });

  const run = async () => {
    setState({ running: true });
    try {
      const proof = await proveCard(cardSerial);
      setState({ running: true, proof });
      setState({ running: false, proof, verdict: await checkCardHistory(proof) });
    } catch (error) {
      setState((previous) => ({ ...previous, running: false, error }));
    }
  };

  const { proof, verdict } = state;
  const entries = proof ? historyEntries(proof) : [];
  const markOf = (entry: { shard: number; seq: number }) =>
    verdict?.marks.find((m) => m.shard === entry.shard && m.seq === entry.seq);
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
        {verdict?.problem ? <p class="note note-error">{verdict.problem}</p> : null}
      </div>
      {proof && entries.length === 0 ? <p>No entries name this card.</p> : null}
      {entries.length > 0 ? (
        <ol class="audit-history-list">
          {entries.map(({ shard, seq, entry }) => {
            const mark = markOf({ shard, seq });
            const look = mark ? MARK[mark.status] : undefined;
            return (
              <li key={`${shard}-${seq}`} class="audit-history-item">
                <span class={`badge badge-${look?.tone ?? 'muted'}`}>
                  <span aria-hidden="true">{look?.icon ?? '…'} </span>
                  {look?.label ?? 'Checking'}
                </span>{' '}
                {entry ? (
                  <>
                    <span class="mono">{entry.action}</span> by {entry.actor}, <Time at={entry.at} />
                    {entry.agentId ? ` on ${entry.agentId}` : ''}
                  </>
                ) : (
                  'an entry newer than the checkpoint'
                )}{' '}
                <span class="audit-muted">
                  (shard {shard}, entry {seq})
                </span>
                {mark?.reason ? <p class="audit-reason">{mark.reason}</p> : null}
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}

function historyEntries(proof: AuditCardProof): { shard: number; seq: number; entry?: AuditEntryView }[] {
  return [
    ...proof.entries.map(({ entry }) => ({ shard: entry.shard, seq: entry.seq, entry })),
    ...proof.pending.map(({ shard, seq }) => ({ shard, seq })),
  ];
}

/** "7 of 7 entries verified against checkpoint #12 signed by key k1 at …" */
function summary(verdict: HistoryVerdict): string {
  const count = (status: EntryMark['status']) => verdict.marks.filter((m) => m.status === status).length;
  const covered = verdict.marks.length - count('pending');
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
