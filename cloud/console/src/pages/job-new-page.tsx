import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import {
  type AgentOption,
  type EncodingVersionView,
  encodingVersion,
  listUsableAgents,
} from '../api/job-form-api';
import { createJob } from '../api/jobs-api';
import { AgentReaderFields } from '../components/jobs/agent-reader-fields';
import { EncodingVersionFields } from '../components/jobs/encoding-version-fields';
import { checkFields, JobFieldsForm } from '../components/jobs/job-fields-form';
import { Button, ErrorNote, Loading, PageHeader } from '../components/ui';
import { navigate } from '../router';
import type { PageProps } from './page-props';

/**
 * A new job: agent and reader, encoding and version, then the fields the version asks
 * for, checked here before sending (POST /v1/jobs checks again). On success the job's
 * page follows it live.
 */
export function JobNewPage({ route }: PageProps) {
  const [agents, setAgents] = useState<AgentOption[]>();
  const [agentId, setAgentId] = useState(route.search.get('agentId') ?? '');
  const [reader, setReader] = useState('');
  const [encodingId, setEncodingId] = useState(route.search.get('encodingId') ?? '');
  const [version, setVersion] = useState<number>();
  const [view, setView] = useState<EncodingVersionView>();
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>();
  const [sending, setSending] = useState(false);

  useEffect(() => {
    listUsableAgents().then(setAgents, setProblem);
  }, []);
  useEffect(() => {
    setView(undefined);
    setValues({});
    setErrors({});
    if (!encodingId || version === undefined) return;
    let current = true;
    encodingVersion(encodingId, version).then(
      (found) => current && setView(found),
      (error: unknown) => current && setProblem(error),
    );
    return () => {
      current = false;
    };
  }, [encodingId, version]);

  const agent = agents?.find((a) => a.id === agentId);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    const missing: Record<string, string> = {};
    if (!agent) missing.agent = 'Choose an agent.';
    if (version === undefined) missing.version = 'Choose a version the office may run.';
    const checked = view ? checkFields(view.fields, values) : { fields: {}, errors: {} };
    const all = { ...missing, ...checked.errors };
    setErrors(all);
    if (Object.keys(all).length > 0) {
      // Focus the first control at fault, so keyboard and screen reader users land on it.
      const first = Object.keys(all)[0] ?? '';
      const id = first === 'agent' ? 'job-agent' : first === 'version' ? 'job-version' : `field-${first}`;
      window.requestAnimationFrame(() => document.getElementById(id)?.focus());
      return;
    }
    setSending(true);
    try {
      const moved = await createJob({
        agentId,
        encodingId,
        ...(version === undefined ? {} : { version }),
        ...(reader ? { reader } : {}),
        fields: checked.fields,
      });
      navigate(`/jobs/${encodeURIComponent(moved.jobId)}`);
    } catch (error) {
      setProblem(error);
      setSending(false);
    }
  };

  if (!agents && !problem) return <Loading what="Loading the agents you may use" />;
  return (
    <>
      <PageHeader title="New job" />
      <form class="job-form" noValidate onSubmit={submit}>
        <fieldset>
          <legend>Where it runs</legend>
          <AgentReaderFields
            agents={agents ?? []}
            agentId={agentId}
            reader={reader}
            readerRequired={false}
            onAgent={(id) => {
              setAgentId(id);
              setReader('');
            }}
            onReader={setReader}
            errors={{ agent: errors.agent }}
          />
        </fieldset>
        <fieldset>
          <legend>What it runs</legend>
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
        </fieldset>
        {view ? (
          <JobFieldsForm
            version={view}
            values={values}
            errors={errors}
            onValue={(name, value) => {
              setValues((v) => ({ ...v, [name]: value }));
              // The message stays until the value changes; the next submit checks again.
              setErrors(({ [name]: _gone, ...rest }) => rest);
            }}
          />
        ) : encodingId && version !== undefined ? (
          <Loading what="Loading the encoding's fields" />
        ) : null}
        <ProblemNote error={problem} />
        <Button kind="primary" type="submit" disabled={sending}>
          {sending ? 'Starting…' : 'Start job'}
        </Button>
      </form>
    </>
  );
}

/** The API's refusal, with the fields it names (REQUEST_INVALID issues) when it names some. */
function ProblemNote({ error }: { error: unknown }) {
  if (!error) return null;
  const issues =
    error instanceof ApiError
      ? (error.details.issues as { path?: unknown[]; message?: string }[] | undefined)
      : undefined;
  return (
    <>
      <ErrorNote error={error} />
      {issues?.length ? (
        <ul class="issue-list">
          {issues.map((issue, i) => (
            <li key={i}>
              {(issue.path ?? []).join('.') || 'body'}: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
