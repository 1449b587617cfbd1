import { useEffect, useState } from 'preact/hooks';
import {
  type AgentSummary,
  type DryRunJob,
  type EncodingVersionView,
  getJob,
  paths,
  startDryRun,
  TERMINAL_JOB_STATES,
} from '../../api/encodings-api';
import { Link } from '../link';
import { Button, ErrorNote, Field, Loading, StatusBadge, useApi } from '../ui';
import { JobResultTrace } from './apdu-trace';
import { DryRunFields, fieldsOf } from './dry-run-fields';
import { fieldProblem } from './field-check';
import { parseFieldLines } from './field-lines';

/** Polls GET /v1/jobs/{id} once a second until the job ends (the job page follows it live). */
function useJobUntilDone(jobId: string | undefined) {
  const [job, setJob] = useState<DryRunJob>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const current = await getJob(jobId);
        if (stopped) return;
        setJob(current);
        if (!TERMINAL_JOB_STATES.includes(current.state)) timer = window.setTimeout(poll, 1000);
      } catch (caught) {
        if (!stopped) setError(caught);
      }
    };
    setJob(undefined);
    setError(undefined);
    poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [jobId]);
  return { job, error };
}

/**
 * A dry run (admins): the version runs on an agent's in-process virtual card — a job
 * flagged `dryRun`, which touches no real card — and its APDU trace shows here when it ends.
 */
export function DryRunPanel({ view }: { view: EncodingVersionView }) {
  const agents = useApi<{ items: AgentSummary[] }>(paths.agents);
  // Agents with a dry-run card first (their presence says so); the API refuses the others (DRY_RUN_UNAVAILABLE).
  const active = (agents.data?.items ?? [])
    .filter((a) => a.state === 'ACTIVE')
    .sort((a, b) => Number(b.presence?.dryRunCard ?? false) - Number(a.presence?.dryRunCard ?? false));
  const [agentId, setAgentId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const followed = useJobUntilDone(jobId);
  const chosen = agentId || active[0]?.id || '';

  const start = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!chosen) return setError(new Error('Choose an agent for the dry run.'));
    const found = Object.fromEntries(
      fieldsOf(view).flatMap((field) => {
        const problem = fieldProblem(field, values[field.name] ?? '');
        return problem ? [[field.name, problem]] : [];
      }),
    );
    setProblems(found);
    const first = Object.keys(found)[0];
    if (first) return document.getElementById(`dry-field-${first}`)?.focus();
    const fields = {
      ...parseFieldLines(extra),
      ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)),
    };
    setBusy(true);
    try {
      const started = await startDryRun({
        agentId: chosen,
        encodingId: view.id,
        version: view.version,
        fields,
      });
      setJobId(started.jobId);
      setValues({});
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const job = followed.job;
  const finished = job && TERMINAL_JOB_STATES.includes(job.state);
  return (
    <section class="panel" aria-labelledby="dry-run-heading">
      <h2 id="dry-run-heading">Dry run of version {view.version}</h2>
      <p>Runs the version on the agent's virtual card, not on a real one, and shows every APDU it sent.</p>
      <ErrorNote error={agents.error} />
      <form onSubmit={start}>
        <Field id="dry-agent" label="Agent">
          {agents.loading ? (
            <Loading what="Loading agents" />
          ) : (
            <select
              id="dry-agent"
              value={chosen}
              onChange={(e) => setAgentId((e.currentTarget as HTMLSelectElement).value)}
            >
              {active.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.id} ({agent.office}, {agent.presence?.status ?? 'presence unknown'}
                  {agent.presence?.dryRunCard ? ', dry-run card' : ''})
                </option>
              ))}
            </select>
          )}
        </Field>
        <DryRunFields
          view={view}
          values={values}
          problems={problems}
          extra={extra}
          onValue={(name, value) => setValues({ ...values, [name]: value })}
          onExtra={setExtra}
        />
        <ErrorNote error={error} />
        <Button kind="primary" type="submit" disabled={busy || (jobId !== undefined && !finished)}>
          Start the dry run
        </Button>
      </form>
      {jobId ? (
        <div class="dry-run-status">
          <p role="status">
            Dry run <span class="mono">{jobId}</span>: {job ? <StatusBadge state={job.state} /> : 'starting'}
            {job?.progress && !finished
              ? ` — ${job.progress.application}: ${job.progress.apdusDone} of ${job.progress.apdusTotal} APDUs`
              : ''}
          </p>
          <p>
            <Link to={`/jobs/${encodeURIComponent(jobId)}`}>Follow the dry run</Link> on its job page.
          </p>
          <ErrorNote error={followed.error} />
          {job && finished ? <JobResultTrace job={job} /> : null}
        </div>
      ) : null}
    </section>
  );
}
