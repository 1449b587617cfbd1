import { useState } from 'preact/hooks';
import type { AgentOption } from '../../api/job-form-api';
import type { JobFilter } from '../../api/jobs-api';
import { JOB_STATES } from '../../api/shared-core';
import { Button, Field } from '../ui';

/** The jobs list's filters: state, agent, card serial (GET /v1/jobs's own filters). */
export function JobFilters({
  value,
  agents,
  onApply,
}: {
  value: JobFilter;
  agents: AgentOption[];
  onApply: (filter: JobFilter) => void;
}) {
  const [state, setState] = useState(value.state ?? '');
  const [agentId, setAgentId] = useState(value.agentId ?? '');
  const [cardSerial, setCardSerial] = useState(value.cardSerial ?? '');
  return (
    <form
      class="job-filters"
      aria-label="Filter jobs"
      onSubmit={(event) => {
        event.preventDefault();
        onApply({ state, agentId, cardSerial: cardSerial.trim() });
      }}
    >
      <Field id="filter-state" label="State">
        <select id="filter-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
          <option value="">Any state</option>
          {JOB_STATES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ').toLowerCase()}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-agent" label="Agent">
        <select id="filter-agent" value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
          <option value="">Any agent</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id} ({a.office})
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-serial" label="Card serial">
        <input
          id="filter-serial"
          type="search"
          value={cardSerial}
          onInput={(e) => setCardSerial(e.currentTarget.value)}
        />
      </Field>
      <div class="job-filters-actions">
        <Button kind="primary" type="submit">
          Apply filters
        </Button>
      </div>
    </form>
  );
}
