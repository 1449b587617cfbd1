import type { JobDetail } from '../../api/jobs-api';
import {
  applicationPlace,
  isTerminal,
  isWaitingForPin,
  progressDoing,
  WAITING_FOR_PIN,
} from '../../api/shared-core';
import { StatusBadge } from '../ui';

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The job's state in words for the live region: said once per change, not per APDU. */
export function liveAnnouncement(job: JobDetail): string {
  const p = currentProgress(job);
  if (p && isWaitingForPin(p))
    return `Job ${job.state.toLowerCase().replace(/_/g, ' ')}: ${WAITING_FOR_PIN}${job.reader ? ` (reader ${job.reader})` : ''}.`;
  return `Job ${job.state.toLowerCase().replace(/_/g, ' ')}.`;
}

/** The agent's progress of the current attempt while the job is open (docs/messaging.md, "Progress"). */
export function currentProgress(job: JobDetail) {
  const p = job.progress;
  return p && !isTerminal(job.state) && p.attempt === job.attempt ? p : undefined;
}

/**
 * A job as it runs: its state, the application and APDU n of m as a progress bar, or the
 * PIN wait at the station. Screen readers hear the state and the PIN wait through a polite
 * live region; the APDU count changes too often to be announced.
 */
export function JobProgress({ job }: { job: JobDetail }) {
  const p = currentProgress(job);
  const waiting = p && isWaitingForPin(p);
  return (
    <section class="job-progress" aria-labelledby="job-progress-title">
      <h2 id="job-progress-title">Progress</h2>
      <p class="job-state-line">
        State: <StatusBadge state={job.state} /> <span class="muted-inline">attempt {job.attempt}</span>
      </p>
      <p class="visually-hidden" role="status" aria-live="polite">
        {liveAnnouncement(job)}
      </p>
      {p ? (
        <div class="job-application">
          <p>
            Application: <strong>{applicationPlace(p)}</strong>
          </p>
          {waiting ? (
            <p class="note note-wait" data-testid="pin-wait">
              {sentence(WAITING_FOR_PIN)}
              {job.reader ? ` (reader ${job.reader})` : ''}: the operator types the PIN on the station's PIN
              entry page. Nothing is sent to the card until then.
            </p>
          ) : p.apdusTotal > 0 ? (
            <div class="apdu-progress">
              <label for="apdu-progress">{sentence(progressDoing(p))}</label>
              <progress id="apdu-progress" max={p.apdusTotal} value={p.apdusDone}>
                {p.apdusDone} of {p.apdusTotal}
              </progress>
            </div>
          ) : (
            <p>{sentence(progressDoing(p))}</p>
          )}
        </div>
      ) : !isTerminal(job.state) ? (
        <p class="muted-line">
          {job.state === 'IN_PROGRESS' ? 'Running on the card.' : 'Waiting for the agent to take the job.'}
        </p>
      ) : null}
    </section>
  );
}
