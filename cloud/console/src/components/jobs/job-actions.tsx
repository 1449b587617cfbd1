import { useState } from 'preact/hooks';
import { cancelJob, type JobMoved, type JobView, retryJob } from '../../api/jobs-api';
import { OPEN_JOB_STATES, RETRYABLE_JOB_STATES } from '../../api/shared-core';
import { Button, ErrorNote } from '../ui';

const open = (state: string) => (OPEN_JOB_STATES as readonly string[]).includes(state);
const retryable = (state: string) => (RETRYABLE_JOB_STATES as readonly string[]).includes(state);

/** What the API answered to a cancel or retry, in words. */
export function movedMessage(action: 'cancel' | 'retry', moved: JobMoved): string {
  if (action === 'retry')
    return `Attempt ${moved.attempt ?? ''} started: the job is ${moved.state.toLowerCase()}.`;
  return moved.cancelRequested
    ? 'Cancel requested: the agent may hold the job and answers first.'
    : `The job is ${moved.state.toLowerCase()}.`;
}

/**
 * Cancel (an open job) and retry (an ended, unsuccessful one: a new attempt, docs/cloud.md),
 * with the API's answer shown. `onMoved` lets the page follow the job again.
 */
export function JobActions({ job, onMoved }: { job: JobView; onMoved: () => void }) {
  const [answer, setAnswer] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (action: 'cancel' | 'retry') => {
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      const moved = await (action === 'cancel' ? cancelJob(job.jobId) : retryJob(job.jobId));
      setAnswer(movedMessage(action, moved));
      onMoved();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  const cancelAsked = job.cancel?.attempt === job.attempt;
  return (
    <div class="job-actions">
      <div class="page-actions">
        {open(job.state) ? (
          <Button kind="danger" disabled={busy || cancelAsked} onClick={() => run('cancel')}>
            {cancelAsked ? 'Cancel requested' : 'Cancel job'}
          </Button>
        ) : null}
        {retryable(job.state) ? (
          <Button kind="primary" disabled={busy} onClick={() => run('retry')}>
            Retry (new attempt)
          </Button>
        ) : null}
      </div>
      {answer ? (
        <p class="note note-good" role="status">
          {answer}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </div>
  );
}
