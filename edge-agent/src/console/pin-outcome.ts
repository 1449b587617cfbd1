import type { JobResult } from '@cardfleet/shared';
import type { PinOutcome } from './console-schemas';

/**
 * What the station console says once a request it showed has ended: the PIN was handed
 * to the job ("sent"), and — when the job has finished — whether the card took it. A
 * card refuses a PIN with 63Cx (verification failed, x tries left) or 6983
 * (authentication method blocked; ISO/IEC 7816-4 §5.6, shared status-words), a
 * PKCS#11 token with CKR_PIN_INCORRECT / _LOCKED / _LEN_RANGE / _INVALID (PKCS#11 v2.40
 * §5.1, as the agent's codes name them). The messages carry a status word or a code,
 * never a PIN.
 */
const REFUSING_CODES = new Set(['PIN_INCORRECT', 'PIN_LOCKED', 'PIN_LENGTH', 'PIN_INVALID']);

export interface EndedPins {
  outcome: PinOutcome;
  reader?: string;
  /** A status word or error code that says why the job stopped. */
  detail?: string;
}

/** How a job that had its PINs ended, from its result. */
export function jobOutcome(result: JobResult): Omit<EndedPins, 'reader'> {
  if (result.status === 'SUCCEEDED') return { outcome: 'job-done' };
  const failure = result.applications.find((a) => a.status === 'FAILED')?.failure;
  const sw = failure?.sw?.toUpperCase();
  if (sw && (/^63C[0-9A-F]$/.test(sw) || sw === '6983')) return { outcome: 'card-refused', detail: sw };
  const code = failure?.code ?? result.error?.code;
  if (code && REFUSING_CODES.has(code)) return { outcome: 'card-refused', detail: code };
  return { outcome: 'job-failed', ...(code ? { detail: code } : {}) };
}

/** The sentence the page shows for an ended request. */
export function outcomeMessage(ended: EndedPins): string {
  const card = ended.reader ? `the card in ${ended.reader}` : 'the card';
  const why = ended.detail ? ` (${ended.detail})` : '';
  switch (ended.outcome) {
    case 'sent':
      return `Sent. The PIN went straight to ${card}; it was not stored or sent to the cloud. The job continues — you can follow it in the console.`;
    case 'job-done':
      return `Done. ${capitalise(card)} took the PIN and the job finished.`;
    case 'card-refused':
      return `${capitalise(card)} refused the PIN${why}. The job stopped; you can follow it in the console.`;
    case 'job-failed':
      return `The job stopped after the PIN was sent${why}. You can follow it in the console.`;
    case 'expired':
      return 'Time ran out: no PIN was sent in time. The job stopped with PIN_TIMEOUT; nothing was sent to the card.';
    case 'cancelled':
      return 'Cancelled. The job stopped with PIN_CANCELLED; nothing was sent to the card.';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
