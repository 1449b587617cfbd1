import { useEffect, useRef, useState } from 'preact/hooks';
import { type AgentAdded, addAgent } from '../../api/agents-api';
import { ApiError } from '../../api/client';
import { Button, describedBy, ErrorNote, Field } from '../ui';

/** The agent id and office rules of the API (shared/src/messages/api-schemas.ts, ID_PATTERN). */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const LIFETIMES: [seconds: number, label: string][] = [
  [3600, '1 hour'],
  [24 * 3600, '24 hours'],
  [7 * 24 * 3600, '7 days'],
  [30 * 24 * 3600, '30 days'],
];

/** An admin adds a PENDING agent; the answer's one-time code goes to onAdded (shown once). */
export function AddAgentForm({
  offices,
  onAdded,
  onCancel,
}: {
  offices: string[];
  onAdded: (added: AgentAdded) => void;
  onCancel: () => void;
}) {
  const [id, setId] = useState('');
  const [office, setOffice] = useState(offices[0] ?? '');
  const [seconds, setSeconds] = useState(24 * 3600);
  const [problems, setProblems] = useState<{ id?: string; office?: string }>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: { id?: string; office?: string } = {};
    if (!ID_PATTERN.test(id))
      found.id = 'Letters, digits, dot, dash or underscore; starting with a letter or digit; at most 64.';
    else if (id.startsWith('cardfleet-')) found.id = 'Ids starting with cardfleet- are the cloud’s own.';
    if (!ID_PATTERN.test(office)) found.office = 'Letters, digits, dot, dash or underscore; at most 64.';
    setProblems(found);
    if (found.id || found.office) return;
    setBusy(true);
    setError(undefined);
    try {
      onAdded(await addAgent({ id, office, enrolmentCodeSeconds: seconds }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'CONFLICT')
        setProblems({ id: `An agent ${id} exists already (revoked ids are not reused).` });
      else setError(caught);
      setBusy(false);
    }
  };

  const idHint = 'The name the agent connects with, e.g. office-7-desk-2.';
  const officeHint = 'Operators of this office will see the agent and run jobs on it.';
  return (
    <form class="card fleet-form" onSubmit={submit} aria-labelledby="add-agent-title" noValidate>
      <h2 id="add-agent-title">Add an agent</h2>
      <Field id="agent-id" label="Agent id" hint={idHint} error={problems.id}>
        <input
          id="agent-id"
          ref={first}
          value={id}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={problems.id ? true : undefined}
          aria-describedby={describedBy('agent-id', idHint, problems.id)}
          onInput={(e) => setId(e.currentTarget.value.trim())}
        />
      </Field>
      <Field id="agent-office" label="Office" hint={officeHint} error={problems.office}>
        <input
          id="agent-office"
          value={office}
          list="known-offices"
          autocomplete="off"
          aria-invalid={problems.office ? true : undefined}
          aria-describedby={describedBy('agent-office', officeHint, problems.office)}
          onInput={(e) => setOffice(e.currentTarget.value.trim())}
        />
        <datalist id="known-offices">
          {offices.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </Field>
      <Field id="agent-code-lifetime" label="Enrolment code valid for">
        <select
          id="agent-code-lifetime"
          value={String(seconds)}
          onChange={(e) => setSeconds(Number(e.currentTarget.value))}
        >
          {LIFETIMES.map(([value, label]) => (
            <option key={value} value={String(value)}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <ErrorNote error={error} />
      <div class="page-actions">
        <Button kind="primary" type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add agent'}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
