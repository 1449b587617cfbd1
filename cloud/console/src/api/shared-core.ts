/**
 * The pure parts of @cardfleet/shared the console runs in the browser, imported file by
 * file: the package's index also exports Node-only modules (node:crypto, Buffer), which
 * neither the browser nor this project's type check (DOM lib, no Node types) may pull in.
 */
export { checkJobField, type JobFieldRule, normaliseHex } from '../../../../shared/src/jobs/job-field-check';
export {
  isTerminal,
  JOB_STATES,
  type JobState,
  OPEN_JOB_STATES,
  RETRYABLE_JOB_STATES,
} from '../../../../shared/src/jobs/job-lifecycle';
export {
  applicationPlace,
  isWaitingForPin,
  progressDoing,
  WAITING_FOR_PIN,
} from '../../../../shared/src/jobs/progress-wording';
export { parseBatchRequestId } from '../../../../shared/src/messages/batch-request-id';
export { describeStatusWord } from '../../../../shared/src/status-words/status-words';
