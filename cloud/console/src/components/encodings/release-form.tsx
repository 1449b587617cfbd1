import { useState } from 'preact/hooks';
import { type AgentSummary, createRelease, parseStages, paths, type Release } from '../../api/encodings-api';
import { Button, describedBy, ErrorNote, Field, useApi } from '../ui';

const STAGES_HINT =
  'Offices separated by commas, stages by semicolons; the first stage is the canary. "*" (every office) only in the last stage. Example: berlin; paris, rome; *';
const OFFICE = /^(?:\*|[A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/;

const THRESHOLDS: { key: keyof Release['thresholds']; label: string; hint: string; step?: string }[] = [
  { key: 'firstJobs', label: 'First jobs', hint: 'Judge the first N counted jobs (default 10).' },
  {
    key: 'firstMaxFailures',
    label: 'Failures allowed among them',
    hint: 'Halt above this many (default 2).',
  },
  { key: 'window', label: 'Window', hint: 'Then judge the last N counted jobs (default 50).' },
  {
    key: 'windowMaxFailureRate',
    label: 'Failure rate allowed in the window',
    hint: 'From 0 to 1; halt above it (default 0.2).',
    step: '0.01',
  },
];

/** Stages written as text, checked here as the API checks them (CreateReleaseSchema) to say what is wrong early. */
function stagesProblem(stages: string[][]): string | undefined {
  if (stages.length === 0) return 'Name at least one office.';
  const bad = stages.flat().find((office) => !OFFICE.test(office));
  if (bad) return `"${bad}" is not an office name (letters, digits, "_", "." and "-").`;
  if (stages.slice(0, -1).some((stage) => stage.includes('*'))) return 'Only the last stage may be "*".';
  if (stages.length > 10) return 'At most 10 stages.';
  return undefined;
}

/** Release an approved version to offices in stages, canary first (POST …/releases, docs/releases.md). */
export function ReleaseForm({
  id,
  version,
  onReleased,
}: {
  id: string;
  version: number;
  /** Told the offices of the first stage (the canary), as words. */
  onReleased: (offices: string) => void;
}) {
  const [text, setText] = useState('');
  const [limits, setLimits] = useState<Partial<Record<keyof Release['thresholds'], string>>>({});
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const agents = useApi<{ items: AgentSummary[] }>(paths.agents);
  const offices = [
    ...new Set((agents.data?.items ?? []).filter((a) => a.state !== 'REVOKED').map((a) => a.office)),
  ];
  const hint = offices.length
    ? `${STAGES_HINT} Offices with agents: ${offices.sort().join(', ')}.`
    : STAGES_HINT;
  const submit = async (event: Event) => {
    event.preventDefault();
    const stages = parseStages(text);
    const wrong = stagesProblem(stages);
    setProblem(wrong);
    setError(undefined);
    if (wrong) return;
    const thresholds = Object.fromEntries(
      Object.entries(limits)
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([key, value]) => [key, Number(value)]),
    );
    setBusy(true);
    try {
      const release = await createRelease(
        id,
        version,
        Object.keys(thresholds).length ? { stages, thresholds } : { stages },
      );
      setText('');
      onReleased(release.offices.map((o) => (o === '*' ? 'every office' : o)).join(', '));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel-step" onSubmit={submit} noValidate aria-labelledby="release-form-heading">
      <h3 id="release-form-heading">Release version {version}</h3>
      <Field id="release-stages" label="Offices, stage by stage" hint={hint} error={problem}>
        <input
          id="release-stages"
          value={text}
          autocomplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy('release-stages', hint, problem)}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        />
      </Field>
      <details class="thresholds">
        <summary>Automatic halt thresholds (optional)</summary>
        <div class="threshold-grid">
          {THRESHOLDS.map(({ key, label, hint, step }) => (
            <Field id={`release-${key}`} label={label} hint={hint} key={key}>
              <input
                id={`release-${key}`}
                type="number"
                min="0"
                step={step ?? '1'}
                value={limits[key] ?? ''}
                aria-describedby={`release-${key}-hint`}
                onInput={(e) => setLimits({ ...limits, [key]: (e.currentTarget as HTMLInputElement).value })}
              />
            </Field>
          ))}
        </div>
      </details>
      <ErrorNote error={error} />
      <Button kind="primary" type="submit" disabled={busy}>
        Release version {version}
      </Button>
    </form>
  );
}
