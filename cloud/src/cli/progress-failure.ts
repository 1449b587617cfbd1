import { describeStatusWord } from '@cardfleet/shared';

/** What the CLI reads of a job's result to say why it failed (the API's job view). */
export interface FailureView {
  error?: { code: string; message: string };
  rejection?: { reason: string };
  applications?: { name: string; failure?: ApplicationFailure }[];
}

export interface ApplicationFailure {
  code: string;
  message: string;
  line?: number;
  sw?: string;
}

/**
 * Why a job failed, one reason per failed application, error or rejection: the
 * application, the script line and the status word with its meaning (ISO 7816-4 via
 * shared/src/status-words), e.g. `SetPin: line 4: the card answered 63C2 (verification
 * failed, 2 tries left) [CARD_STATUS]`. The agent's message usually says all of it
 * already (with an application's own status-word table when it had one); what it
 * leaves out is added from the failure's `line` and `sw`.
 */
export function failureReasons(result: FailureView | undefined): string[] {
  if (!result) return [];
  return [
    ...(result.applications ?? []).flatMap((a) => (a.failure ? [applicationReason(a.name, a.failure)] : [])),
    ...(result.error ? [`${result.error.message} [${result.error.code}]`] : []),
    ...(result.rejection ? [`rejected by the agent: ${result.rejection.reason}`] : []),
  ];
}

function applicationReason(name: string, failure: ApplicationFailure): string {
  let text = failure.message;
  if (failure.line !== undefined && !new RegExp(`\\bline ${failure.line}\\b`).test(text))
    text = `line ${failure.line}: ${text}`;
  const sw = failure.sw?.toUpperCase();
  if (sw && /^[0-9A-F]{4}$/.test(sw) && !text.includes(`${sw} (`)) {
    const meaning = describeStatusWord(Number.parseInt(sw, 16)).meaning;
    text += text.includes(sw) ? ` (${meaning})` : ` (status word ${sw}: ${meaning})`;
  }
  return `${name}: ${text} [${failure.code}]`;
}

/** The reasons as indented lines under a job's state line (empty when there are none). */
export function reasonLines(job: { result?: FailureView | undefined }): string {
  return failureReasons(job.result)
    .map((r) => `\n  reason: ${r}`)
    .join('');
}
