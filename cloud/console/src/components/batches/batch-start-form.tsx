import { useEffect, useState } from 'preact/hooks';
import { startBatch } from '../../api/batches-api';
import { ApiError } from '../../api/client';
import {
  type AgentOption,
  type EncodingVersionView,
  encodingVersion,
  listUsableAgents,
} from '../../api/job-form-api';
import { navigate } from '../../router';
import { AgentReaderFields } from '../jobs/agent-reader-fields';
import { EncodingVersionFields } from '../jobs/encoding-version-fields';
import { Button, describedBy, ErrorNote, Field } from '../ui';

/** The API's CSV refusal (BATCH_CSV_INVALID, docs/batches.md) as the row and column at fault. */
export function csvProblem(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.code !== 'BATCH_CSV_INVALID') return undefined;
  const { row, column } = error.details as { row?: number; column?: string };
  const where = [row !== undefined ? `Row ${row}` : '', column ? `column ${column}` : '']
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${error.message}` : error.message;
}

/**
 * Starts a batch (POST /v1/batches): one agent and reader, one encoding version, a CSV of
 * one row per card (uploaded or pasted), a count or until stopped.
 */
export function BatchStartForm() {
  const [agents, setAgents] = useState<AgentOption[]>([]);
  const [agentId, setAgentId] = useState('');
  const [reader, setReader] = useState('');
  const [encodingId, setEncodingId] = useState('');
  const [version, setVersion] = useState<number>();
  const [counted, setCounted] = useState(true);
  const [count, setCount] = useState('10');
  const [haltAfter, setHaltAfter] = useState('3');
  const [csv, setCsv] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const [view, setView] = useState<EncodingVersionView>();
  useEffect(() => {
    listUsableAgents().then(setAgents, setProblem);
  }, []);
  useEffect(() => {
    setView(undefined);
    if (!encodingId || version === undefined) return;
    let current = true;
    encodingVersion(encodingId, version).then(
      (found) => current && setView(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [encodingId, version]);
  const agent = agents.find((a) => a.id === agentId);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!agent) found.agent = 'Choose an agent.';
    if (!reader) found.reader = 'Choose the reader the cards go into.';
    if (version === undefined) found.version = 'Choose a version the office may run.';
    if (counted && !/^[1-9][0-9]{0,4}$/.test(count)) found.count = 'Enter a whole number of cards from 1.';
    if (!/^[1-9][0-9]{0,3}$/.test(haltAfter)) found.haltAfter = 'Enter a whole number from 1.';
    if (!csv.trim()) found.csv = 'Upload or paste the CSV: a header of field names, then one row per card.';
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length) return;
    setSending(true);
    try {
      const batch = await startBatch({
        agentId,
        reader,
        encodingId,
        ...(version === undefined ? {} : { version }),
        ...(counted ? { count: Number(count) } : { untilStopped: true as const }),
        csv,
        stopAfterConsecutiveFailures: Number(haltAfter),
      });
      navigate(`/batches/${encodeURIComponent(batch.batchId)}`);
    } catch (error) {
      const atCsv = csvProblem(error);
      if (atCsv) setErrors({ csv: atCsv });
      else setProblem(error);
      setSending(false);
    }
  };

  return (
    <form class="batch-form" noValidate onSubmit={submit} aria-labelledby="batch-start-title">
      <h2 id="batch-start-title">Start a batch</h2>
      <AgentReaderFields
        agents={agents}
        agentId={agentId}
        reader={reader}
        readerRequired
        onAgent={(id) => {
          setAgentId(id);
          setReader('');
        }}
        onReader={setReader}
        errors={{ agent: errors.agent, reader: errors.reader }}
      />
      <EncodingVersionFields
        office={agent?.office}
        encodingId={encodingId}
        version={version}
        onEncoding={(id) => {
          setEncodingId(id);
          setVersion(undefined);
        }}
        onVersion={setVersion}
        error={errors.version}
      />
      <fieldset>
        <legend>How many cards</legend>
        <label class="choice">
          <input type="radio" name="batch-size" checked={counted} onChange={() => setCounted(true)} /> A
          number of cards
        </label>
        <label class="choice">
          <input type="radio" name="batch-size" checked={!counted} onChange={() => setCounted(false)} /> Until
          stopped
        </label>
        {counted ? (
          <Field id="batch-count" label="Cards" error={errors.count}>
            <input
              id="batch-count"
              inputMode="numeric"
              value={count}
              aria-describedby={describedBy('batch-count', undefined, errors.count)}
              onInput={(e) => setCount(e.currentTarget.value)}
            />
          </Field>
        ) : null}
      </fieldset>
      <Field id="batch-halt" label="Halt after this many failed cards in a row" error={errors.haltAfter}>
        <input
          id="batch-halt"
          inputMode="numeric"
          value={haltAfter}
          aria-describedby={describedBy('batch-halt', undefined, errors.haltAfter)}
          onInput={(e) => setHaltAfter(e.currentTarget.value)}
        />
      </Field>
      <CsvInput
        value={csv}
        error={errors.csv}
        onChange={setCsv}
        columns={view ? columnsOf(view) : undefined}
      />
      <ErrorNote error={problem} />
      <Button kind="primary" type="submit" disabled={sending}>
        {sending ? 'Starting…' : 'Start batch'}
      </Button>
    </form>
  );
}

const CSV_HINT =
  'A header of the encoding’s field names, then one row per card (card n gets row n). Secret columns are sealed like job fields.';

/** The columns the version's CSV takes: its job fields (docs/batches.md, "The CSV"). */
export function columnsOf(view: EncodingVersionView): string {
  if (view.fields.length === 0) return `${view.id} v${view.version} reads no field.`;
  const named = view.fields.map(
    (f) => `${f.name}${f.secret ? ' (secret)' : ''}${f.required ? '' : ' (may be empty)'}`,
  );
  return `Columns of ${view.id} v${view.version}: ${named.join(', ')}.`;
}

function CsvInput({
  value,
  error,
  columns,
  onChange,
}: {
  value: string;
  error?: string | undefined;
  columns?: string | undefined;
  onChange: (csv: string) => void;
}) {
  const hint = columns ? `${columns} ${CSV_HINT}` : CSV_HINT;
  return (
    <>
      <Field id="batch-csv-file" label="CSV file">
        <input
          id="batch-csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (file) onChange(await file.text());
          }}
        />
      </Field>
      <Field id="batch-csv" label="CSV (uploaded or pasted)" hint={hint} error={error}>
        <textarea
          id="batch-csv"
          spellcheck={false}
          autocomplete="off"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy('batch-csv', hint, error)}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      </Field>
    </>
  );
}
