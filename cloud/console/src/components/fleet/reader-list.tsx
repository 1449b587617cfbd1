import type { ReaderView } from '../../api/agents-api';
import { describeCard } from './card-description';

/** The ATR as spaced hex pairs, so a long one wraps between bytes (ISO/IEC 7816-3 §8.2). */
export const spacedAtr = (atr: string) => (atr.replace(/\s+/g, '').match(/../g) ?? []).join(' ');

/**
 * An agent's readers as its last presence listed them: whether a card is in, the card's
 * names (the agent's, else this browser's match, card-description.ts) and its ATR, with
 * the ATR's analysis on demand.
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
          {reader.cardPresent ? <CardFacts reader={reader} /> : null}
        </li>
      ))}
    </ul>
  );
}

function CardFacts({ reader }: { reader: ReaderView }) {
  const card = describeCard(reader.atr, reader.cardNames);
  return (
    <>
      <dl class="fleet-facts">
        <dt>Card</dt>
        <dd>
          {card.names.length > 0 ? card.names.join('; ') : 'not in the known-card lists'}
          {card.namedBy === 'browser' ? <span class="fleet-muted"> (named here from its ATR)</span> : null}
        </dd>
        <dt>ATR</dt>
        <dd>
          <code class="fleet-atr">{reader.atr ? spacedAtr(reader.atr) : '—'}</code>
        </dd>
      </dl>
      {card.analysis ? (
        <details class="fleet-analysis">
          <summary>ATR analysis</summary>
          <pre class="fleet-analysis-text">{card.analysis}</pre>
        </details>
      ) : null}
    </>
  );
}
