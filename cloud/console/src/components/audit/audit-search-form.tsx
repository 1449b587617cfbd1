import { useState } from 'preact/hooks';
import type { AuditFilters } from '../../api/audit-search-api';
import { query } from '../../api/client';
import { navigate } from '../../router';
import { Button, describedBy, Field } from '../ui';
import { isoToLocal, localToIso } from './audit-filters';

/** Search by card serial, office, agent and time; the search goes into the address. */
export function AuditSearchForm({ filters, fixedOffice }: { filters: AuditFilters; fixedOffice?: string }) {
  const [cardSerial, setCardSerial] = useState(filters.cardSerial ?? '');
  const [office, setOffice] = useState(fixedOffice ?? filters.office ?? '');
  const [agentId, setAgentId] = useState(filters.agentId ?? '');
  const [from, setFrom] = useState(isoToLocal(filters.from));
  const [to, setTo] = useState(isoToLocal(filters.to));
  const [problem, setProblem] = useState<string>();

  const submit = (event: Event) => {
    event.preventDefault();
    const fromIso = localToIso(from);
    const toIso = localToIso(to, 'end');
    if (fromIso && toIso && fromIso > toIso) return setProblem('“From” must be before “to”.');
    setProblem(undefined);
    navigate(
      `/audit${query({ cardSerial: cardSerial.trim(), office: fixedOffice ? undefined : office.trim(), agentId: agentId.trim(), from: fromIso, to: toIso })}`,
    );
  };
  const clear = () => {
    setCardSerial('');
    setOffice(fixedOffice ?? '');
    setAgentId('');
    setFrom('');
    setTo('');
    setProblem(undefined);
    navigate('/audit');
  };

  const serialHint = "As the job's result names it (the card's serial number).";
  const timeHint = 'In your time zone.';
  const officeHint = fixedOffice ? 'Your office: the only one you may search.' : undefined;
  return (
    <form class="audit-search" onSubmit={submit} aria-label="Search the audit trail">
      <div class="audit-search-fields">
        <Field id="audit-card" label="Card serial" hint={serialHint}>
          <input
            id="audit-card"
            value={cardSerial}
            autocomplete="off"
            spellcheck={false}
            aria-describedby={describedBy('audit-card', serialHint)}
            onInput={(e) => setCardSerial(e.currentTarget.value)}
          />
        </Field>
        <Field id="audit-office" label="Office" hint={officeHint}>
          <input
            id="audit-office"
            value={office}
            readOnly={fixedOffice !== undefined}
            aria-describedby={describedBy('audit-office', officeHint)}
            onInput={(e) => setOffice(e.currentTarget.value)}
          />
        </Field>
        <Field id="audit-agent" label="Agent">
          <input id="audit-agent" value={agentId} onInput={(e) => setAgentId(e.currentTarget.value)} />
        </Field>
        <Field id="audit-from" label="From" hint={timeHint} error={problem}>
          <input
            id="audit-from"
            type="datetime-local"
            value={from}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy('audit-from', timeHint, problem)}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </Field>
        <Field id="audit-to" label="To" hint={timeHint}>
          <input
            id="audit-to"
            type="datetime-local"
            value={to}
            aria-describedby={describedBy('audit-to', timeHint)}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </Field>
      </div>
      <div class="page-actions">
        <Button kind="primary" type="submit">
          Search
        </Button>
        <Button onClick={clear}>Clear</Button>
      </div>
    </form>
  );
}
