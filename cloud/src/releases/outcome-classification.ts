import { type JobResult, type JobState, TokenErrors } from '@cardfleet/shared';
import type { OperatorPins } from './operator-pins';

/**
 * Whether a job's end counts against its release (docs/releases.md, "What counts"). A
 * release halts on the encoding's failures, so only an outcome the encoding decides
 * counts: SUCCEEDED, and a FAILED job whose failure is the card's answer (a status word
 * the script did not accept) or the PKCS#11 module's error. Not counted: CANCELED,
 * TIMED_OUT, INTERRUPTED and REJECTED jobs; PIN timeouts and refusals at the console; a
 * card pulled or a reader lost; the station's own set-up (no module, no batch card); and
 * a wrong PIN the operator typed — 63CX ("verification failed, X tries left") or 6983
 * ("authentication method blocked"), ISO/IEC 7816-4:2020 §5.6 Tables 5 and 6, on a line that presents an
 * operator-typed PIN, or a rejected prompted PIN at a PKCS#11 module.
 */
export type OutcomeClass =
  | { counts: true; failed: boolean; reason: string }
  | { counts: false; reason: string };

/** Failures at the station's PIN console: the person, not the encoding. */
const CONSOLE_CODES = new Set([
  'PIN_TIMEOUT',
  'PIN_CANCELLED',
  'PIN_RULE',
  'PIN_CONFIRMATION',
  'PIN_ANSWER_INVALID',
  'PIN_FINAL_TRY',
  'CONSOLE_ERROR',
  'CONSOLE_NOT_RUNNING',
]);

/** Token codes that describe the station (middleware, slots, supplies), not what the encoding asked. */
const STATION_TOKEN_CODES = new Set([
  'BATCH_CARD_NOT_FOUND',
  'LICENSE_NO_CREDIT',
  'MODULE_LOAD_FAILED',
  'MODULE_NOT_MAPPED',
  'SLOT_NOT_FOUND',
  'SLOT_UNKNOWN',
  'TOKEN_NOT_PRESENT',
]);
const MODULE_CODES = new Set<string>(TokenErrors.codes.options.filter((c) => !STATION_TOKEN_CODES.has(c)));
/** A wrong PIN at a PKCS#11 module (CKR_PIN_INCORRECT, CKR_PIN_LOCKED, PKCS#11 v2.40 §5.1). */
const MODULE_PIN_CODES = new Set(['PIN_INCORRECT', 'PIN_LOCKED', 'CKR_PIN_INCORRECT', 'CKR_PIN_LOCKED']);
/** 63CX (X tries left) and 6983 (blocked): the answers to a wrong PIN (ISO/IEC 7816-4:2020 §5.6). */
const WRONG_PIN_SW = /^(?:63C[0-9A-F]|6983)$/;

export function classifyOutcome(
  state: JobState,
  result: JobResult | undefined,
  pins: OperatorPins,
): OutcomeClass {
  if (state === 'SUCCEEDED') return { counts: true, failed: false, reason: 'succeeded' };
  if (state !== 'FAILED')
    return { counts: false, reason: `${state.toLowerCase()}: not the encoding's doing` };
  const app = result?.applications.find((a) => a.status === 'FAILED' && a.failure);
  const failure = app?.failure;
  if (!app || !failure) return { counts: false, reason: 'no failing application named' };
  if (CONSOLE_CODES.has(failure.code)) return { counts: false, reason: `${failure.code} at the PIN console` };
  if (app.kind === 'apdu' && failure.code === 'CARD_STATUS') {
    const sw = (failure.sw ?? '').toUpperCase();
    const typedPin = failure.line !== undefined && pins.apduLines.get(app.name)?.has(failure.line) === true;
    if (typedPin && WRONG_PIN_SW.test(sw))
      return { counts: false, reason: `${sw} on line ${failure.line}, which presents an operator-typed PIN` };
    return { counts: true, failed: true, reason: `the card answered ${sw || 'an error'}` };
  }
  const moduleError = failure.code.startsWith('CKR_') || MODULE_CODES.has(failure.code);
  if ((app.kind === 'pkcs11' || app.kind === 'license') && moduleError) {
    if (MODULE_PIN_CODES.has(failure.code) && pins.promptedApps.has(app.name))
      return { counts: false, reason: `${failure.code} for a PIN typed at the station` };
    return { counts: true, failed: true, reason: `the module failed: ${failure.code}` };
  }
  return { counts: false, reason: `${failure.code}: neither the card's answer nor the module's error` };
}
