import { type Application, promptedPinField, type Setting, settingText } from '@cardfleet/shared';
import type { FieldStore } from '../runner/field-store';
import type { SlotLocation } from '../tokens/reader-slots';

/**
 * A setting's value for this job: its literal text, or the job field it names
 * (docs/encoding-format.md §4, job-field references), or the PIN the operator typed for a
 * `?prompt` setting (§6.2.1). Undefined when the setting is absent or has no value.
 */
export function settingValue(setting: Setting | undefined, fields: FieldStore): string | undefined {
  if (!setting) return undefined;
  if (setting.value.kind === 'literal') return setting.value.text;
  if (setting.value.kind === 'prompt') return fields.get(promptedPinField(setting.key));
  return fields.get(setting.value.name);
}

/** `Location=#signature` targets the card's signature slot (docs/edge-agent.md, "PKCS#11 applications"). */
export function slotLocationOf(app: Application): SlotLocation {
  return settingText(app.settings.Location) === '#signature' ? 'signature' : 'main';
}
