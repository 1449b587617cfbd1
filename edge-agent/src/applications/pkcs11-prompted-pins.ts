import {
  type Pkcs11Application,
  PROMPTABLE_PIN_KEYS,
  promptedPinField,
  settingText,
} from '@cardfleet/shared';
import type { FieldStore } from '../runner/field-store';
import { checkPinEntries } from '../runner/pin-collection';
import type { PinRequest, Prompter } from '../runner/prompter';
import { settingValue } from './application-settings';

/**
 * Asks the operator at the station for the PINs a PKCS#11 application marks `?prompt`
 * (docs/encoding-format.md §6.2.1, defined by cardfleet), all in one call and before the
 * application's first module call, through the same Prompter as the PIN lines of APDU
 * scripts (operator console, `cardfleet-agent prompt`). One request per prompted new
 * value: new PIN plus confirmation, with the current value too when that is prompted
 * (the Gemalto guide's change-signature-PIN dialog), checked against `PromptPinRule`.
 * The typed values stay in the job's field store, secret; they never leave the station.
 */
export async function collectPromptedPins(
  app: Pkcs11Application,
  fields: FieldStore,
  prompter: Prompter,
): Promise<void> {
  const asked = Object.entries(PROMPTABLE_PIN_KEYS).filter(
    ([key, { current }]) => current !== undefined && app.settings[key]?.value.kind === 'prompt',
  );
  if (asked.length === 0) return;
  const rule = settingText(app.settings.PromptPinRule);
  const text = settingValue(app.settings.PromptPinText, fields);
  const requests: PinRequest[] = asked.map(([key, { current, names }]) => ({
    line: app.settings[key]?.line ?? app.line,
    description: text ? `${text} (${names})` : `${app.name}: new ${names}`,
    rule,
    askOld: current !== undefined && app.settings[current]?.value.kind === 'prompt',
    askTransport: false,
  }));
  const entries = await prompter.askPins(app.name, requests);
  checkPinEntries(requests, entries);
  asked.forEach(([key, { current }], index) => {
    const entry = entries[index];
    if (!entry) return;
    fields.addSecretValue(entry.pin);
    fields.set(promptedPinField(key), entry.pin, true);
    if (current !== undefined && entry.old !== undefined) {
      fields.addSecretValue(entry.old);
      fields.set(promptedPinField(current), entry.old, true);
    }
  });
}
