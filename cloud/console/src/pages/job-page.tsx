import { useEffect, useState } from 'preact/hooks';
import { may } from '../access';
import { ApiError } from '../api/client';
import { watchJob } from '../api/job-watch';
import type { JobDetail } from '../api/jobs-api';
import { JobActions } from '../components/jobs/job-actions';
import { JobHistory } from '../components/jobs/job-history';
import { JobProgress } from '../components/jobs/job-progress';
import { JobResultView } from '../components/jobs/job-result-view';
import { Link } from '../components/link';
import { ErrorNote, Loading, PageHeader, Time } from '../components/ui';
import type { PageProps } from './page-props';

/**
 * One job, followed live until its attempt ends: state, progress (APDU n of m, the PIN
 * wait at the station), then the result; cancel and retry for who may.
 */
export function JobPage({ identity, route }: PageProps) {
  const jobId = route.params.id ?? '';
  const [job, setJob] = useState<JobDetail>();
  const [error, setError] = useState<unknown>();
  // A retry starts a new attempt: follow the job again.
  const [round, setRound] = useState(0);

  useEffect(() => {
    setError(undefined);
    return watchJob(
      jobId,
      (next) => {
        setJob(next);
        setError(undefined);
      },
      setError,
    );
  }, [jobId, round]);

  if (!job) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403))
      return (
        <>
          <PageHeader title="Job not found" />
          <p class="note note-error" role="alert">
            {error.status === 404 ? 'There is no job' : 'You may not see the job'}{' '}
            <span class="mono">{jobId}</span> ({error.status} {error.code}).
          </p>
          <Link to="/jobs">Back to the jobs</Link>
        </>
      );
    return error ? <ErrorNote error={error} /> : <Loading what="Loading the job" />;
  }
  const readOnly = !may.cancelJob(identity);
  return (
    <>
      <PageHeader title={`Job ${job.jobId}`}>
        {may.startJob(identity) ? (
          <Link
            to={`/jobs/new?agentId=${encodeURIComponent(job.agentId)}&encodingId=${encodeURIComponent(job.encoding.id)}`}
            class="button button-secondary"
          >
            New job like this
          </Link>
        ) : null}
      </PageHeader>
      <dl class="facts">
        <dt>Encoding</dt>
        <dd>
          {job.encoding.id} v{job.encoding.version}
        </dd>
        <dt>Agent</dt>
        <dd>
          {job.agentId} ({job.office}){job.reader ? `, reader ${job.reader}` : ''}
        </dd>
        {job.dryRun ? (
          <>
            <dt>Dry run</dt>
            <dd>on the agent's in-process dry-run card, never a reader; counts for no release</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>
          <Time at={job.createdAt} /> by {job.createdBy}
        </dd>
        {job.reason ? (
          <>
            <dt>Reason</dt>
            <dd class="mono">{job.reason}</dd>
          </>
        ) : null}
      </dl>
      <JobProgress job={job} />
      {readOnly ? null : <JobActions job={job} onMoved={() => setRound((n) => n + 1)} />}
      <ErrorNote error={error} />
      {job.result ? <JobResultView result={job.result} /> : null}
      <JobHistory history={job.history} />
      {Object.keys(job.fields).length ? <JobFields job={job} /> : null}
    </>
  );
}

/** The fields the job was given: secret ones only by name (the API never answers their values). */
function JobFields({ job }: { job: JobDetail }) {
  return (
    <section aria-labelledby="job-fields-title">
      <h2 id="job-fields-title">Fields</h2>
      <dl class="facts">
        {Object.entries(job.fields).map(([name, value]) => (
          <div key={name} class="fact">
            <dt class="mono">{name}</dt>
            <dd class="mono">{job.secretFields.includes(name) ? '(secret)' : value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
