import type { ValidatedBundle } from '../bundle/bundle';

/**
 * The job fields a batch's CSV gives each card (docs/batches.md): every field the
 * encoding reads that nothing in it writes — `${FIELD}` values of its settings, the data
 * of DYN lines, the key and input of CR lines, the description of PIN lines. Fields an
 * APDU line writes (outputs, response codes) are the card's answers, and PINs are typed
 * at the station: neither is a column. A field is required (no empty value) unless only
 * DYN lines read it: the APDU seed sends an empty DYN field as no bytes.
 */
export interface BatchField {
  name: string;
  required: boolean;
  secret: boolean;
}

export function batchFieldsOf(bundle: ValidatedBundle): BatchField[] {
  const read = new Map<string, boolean>(); // name → required
  const written = new Set<string>();
  const reads = (name: string, required: boolean) => read.set(name, (read.get(name) ?? false) || required);
  const settingsOf = [bundle.encoding.settings, ...bundle.encoding.applications.map((a) => a.settings)];
  for (const settings of settingsOf)
    for (const setting of Object.values(settings))
      if (setting.value.kind === 'field') reads(setting.value.name, true);
  for (const script of bundle.scripts.values())
    for (const line of script.lines) {
      if (line.kind === 'PIN') {
        reads(line.descriptionField, true);
        for (const typed of [line.newPin.name, line.oldPin?.name, line.transportPinField])
          if (typed) written.add(typed);
        continue;
      }
      if (line.output) written.add(line.output.name);
      if (line.kind === 'DYN')
        for (const part of line.data) if (part.kind === 'field') reads(part.ref.name, false);
      if (line.kind === 'CR') {
        reads(line.input.name, true);
        if (line.key.kind === 'field') reads(line.key.ref.name, true);
      }
    }
  const secret = new Set(bundle.secretFields);
  return [...read]
    .filter(([name]) => !written.has(name))
    .map(([name, required]) => ({ name, required, secret: secret.has(name) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
