import type { AgentOption } from '../../api/job-form-api';
import { describedBy, Field } from '../ui';

type Reader = NonNullable<AgentOption['presence']>['readers'][number];

/** A reader as people know it: its name and the card in it (name, else ATR). */
export function readerLabel(reader: Reader): string {
  if (!reader.cardPresent) return `${reader.name} — no card`;
  const card = reader.cardNames.length ? reader.cardNames.join(', ') : 'unknown card';
  return `${reader.name} — ${card}${reader.atr ? ` (ATR ${reader.atr})` : ''}`;
}

/**
 * The agent and reader of a job or batch: ACTIVE agents only (the API lists an operator's
 * office's agents only), readers from the agent's last presence.
 */
export function AgentReaderFields({
  agents,
  agentId,
  reader,
  readerRequired,
  onAgent,
  onReader,
  errors = {},
}: {
  agents: AgentOption[];
  agentId: string;
  reader: string;
  readerRequired: boolean;
  onAgent: (agentId: string) => void;
  onReader: (reader: string) => void;
  errors?: { agent?: string | undefined; reader?: string | undefined };
}) {
  const agent = agents.find((a) => a.id === agentId);
  const readers = agent?.presence?.readers ?? [];
  const offline = agent && agent.presence?.status !== 'online';
  const agentHint = offline
    ? 'This agent is offline: the job waits until it connects.'
    : agents.length === 0
      ? 'No active agent you may use.'
      : undefined;
  const readerHint = agent && readers.length === 0 ? 'The agent announced no reader.' : undefined;
  return (
    <>
      <Field id="job-agent" label="Agent" hint={agentHint} error={errors.agent}>
        <select
          id="job-agent"
          required
          value={agentId}
          aria-describedby={describedBy('job-agent', agentHint, errors.agent)}
          onChange={(e) => onAgent(e.currentTarget.value)}
        >
          <option value="">Choose an agent</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id} ({a.office}, {a.presence?.status ?? 'never seen'})
            </option>
          ))}
        </select>
      </Field>
      <Field id="job-reader" label="Reader" hint={readerHint} error={errors.reader}>
        <select
          id="job-reader"
          required={readerRequired}
          value={reader}
          disabled={!agent}
          aria-describedby={describedBy('job-reader', readerHint, errors.reader)}
          onChange={(e) => onReader(e.currentTarget.value)}
        >
          <option value="">{readerRequired ? 'Choose a reader' : 'Any reader (the agent chooses)'}</option>
          {readers.map((r) => (
            <option key={r.name} value={r.name}>
              {readerLabel(r)}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
