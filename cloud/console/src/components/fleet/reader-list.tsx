import type { ReaderView } from '../../api/agents-api';

/** The ATR as spaced hex pairs, so a long one wraps between bytes (ISO/IEC 7816-3 §8.2). */
export const spacedAtr = (atr: string) => (atr.replace(/\s+/g, '').match(/../g) ?? []).join(' ');

/**
 * An agent's readers as its last presence listed them: whether a card is in, the card's
 * names as the agent found them in its known-card lists (docs/atr.md) and its ATR.
 */
export function ReaderList({ agentId, readers }: { agentId: string; readers: ReaderView[] }) {
  if (readers.length === 0) return <p class="fleet-muted">No readers reported.</p>;
  return (
    <ul class="fleet-readers" aria-label={`Readers of ${agentId}`}>
      {readers.map((reader) => (
        <li key={reader.name} class="fleet-reader">
          <p class="fleet-reader-name">
            <span aria-hidden="true">{reader.cardPresent ? '▣ ' : '□ '}</span>
            {reader.name}
            <span class="fleet-muted"> — {reader.cardPresent ? 'card present' : 'no card'}</span>
          </p>
          {reader.cardPresent ? (
            <dl class="fleet-facts">
              <dt>Card</dt>
              <dd>
                {reader.cardNames.length > 0 ? reader.cardNames.join('; ') : 'not in the known-card lists'}
              </dd>
              <dt>ATR</dt>
              <dd>
                <code class="fleet-atr">{reader.atr ? spacedAtr(reader.atr) : '—'}</code>
              </dd>
            </dl>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
