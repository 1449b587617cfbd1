import { CardfleetError, encodeFieldValue, matchesPinRule, type PinLine } from '@cardfleet/shared';
import type { FieldStore } from './field-store';
import type { PinEntry, PinRequest, Prompter } from './prompter';

/**
 * Asks every PIN line of a script at once and checks the answers before any APDU:
 * the new PIN must match the line's rule as a whole, in linear time (RE2) and its
 * confirmation. Values go into (secret) fields in the line's output format; the
 * transport PIN as a plain UTF-8 string (APDU seed). Errors never contain a PIN.
 */
export async function collectPins(
  application: string,
  lines: readonly PinLine[],
  fields: FieldStore,
  prompter: Prompter,
): Promise<void> {
  if (lines.length === 0) return;
  const requests: PinRequest[] = lines.map((line) => ({
    line: line.line,
    description: fields.get(line.descriptionField) || line.descriptionField,
    rule: line.regExp,
    askOld: line.oldPin !== undefined,
    askTransport: line.transportPinField !== undefined,
  }));
  const entries = await prompter.askPins(application, requests);
  checkPinEntries(requests, entries);
  lines.forEach((line, index) => {
    const entry = entries[index];
    if (!entry) return;
    const utf8 = (value: string) => new TextEncoder().encode(value);
    for (const typed of [entry.pin, entry.old, entry.transport])
      if (typed !== undefined) fields.addSecretValue(typed);
    fields.set(line.newPin.name, encodeFieldValue(utf8(entry.pin), line.newPin.format), true);
    if (line.oldPin && entry.old !== undefined)
      fields.set(line.oldPin.name, encodeFieldValue(utf8(entry.old), line.oldPin.format), true);
    if (line.transportPinField && entry.transport !== undefined)
      fields.set(line.transportPinField, entry.transport, true);
  });
}

/**
 * The answers fit the requests: one entry each, the new PIN matches the rule as a whole
 * and its confirmation, the current and transport PINs are there when asked. Used by
 * the runner and by the operator console (so a typo can be corrected while the request
 * is still pending). Errors name the line, never a PIN.
 */
export function checkPinEntries(requests: readonly PinRequest[], entries: readonly PinEntry[]): void {
  if (entries.length !== requests.length) {
    throw new CardfleetError(
      'PIN_CANCELLED',
      `expected ${requests.length} PIN entries, got ${entries.length}`,
    );
  }
  requests.forEach((request, index) => {
    const entry = entries[index];
    if (!entry) return;
    const where = { details: { line: request.line } };
    if (request.rule !== undefined && !matchesPinRule(request.rule, entry.pin)) {
      throw new CardfleetError(
        'PIN_RULE',
        `line ${request.line}: the new PIN does not match the rule ${request.rule}`,
        where,
      );
    }
    if (entry.pin !== entry.confirmation) {
      throw new CardfleetError(
        'PIN_CONFIRMATION',
        `line ${request.line}: the PIN and its confirmation differ`,
        where,
      );
    }
    if (request.askOld && entry.old === undefined)
      throw new CardfleetError(
        'PIN_CANCELLED',
        `line ${request.line}: the current PIN was not entered`,
        where,
      );
    if (request.askTransport && entry.transport === undefined) {
      throw new CardfleetError(
        'PIN_CANCELLED',
        `line ${request.line}: the transport PIN was not entered`,
        where,
      );
    }
  });
}
