/**
 * The pure parts of @cardfleet/shared the console runs in the browser, imported file by
 * file: the package's index also exports Node-only modules (node:crypto, Buffer) and zod
 * schemas, which the browser bundle should not carry.
 */
export { expectation, fieldValueProblem } from '../../../../shared/src/encoding/job-field-value';
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
