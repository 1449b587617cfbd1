import type { EncodingVersionView, JobFieldSpec } from '../../api/job-form-api';
import { checkJobField } from '../../api/shared-core';
import { Button, describedBy, Field } from '../ui';

/** The fields a version asks for: its own list, or (older APIs) its secret fields by name. */
export function fieldSpecsOf(version: EncodingVersionView): JobFieldSpec[] {
  // Without a field list a secret field may as well be a PIN typed at the station (set-pin's
  // TPIN, NEW_PIN): offered, never required.
  return (
    version.fields ??
    version.secretFields.map((name) => ({
      name,
      secret: true,
      required: false,
      description: 'Leave empty when the station asks for it (a PIN)',
    }))
  );
}

export interface FreeRow {
  name: string;
  value: string;
}

/** What the hint under a field says: what it is for and the rules its value must keep. */
export function fieldHint(spec: JobFieldSpec): string {
  const rules = [
    spec.description,
    spec.format === 'hex' ? 'Hex, two digits per byte (spaces are removed)' : undefined,
    spec.format === 'base64' ? 'Base64' : undefined,
    spec.minLength !== undefined && spec.maxLength !== undefined
      ? `${spec.minLength} to ${spec.maxLength} characters`
      : spec.minLength !== undefined
        ? `at least ${spec.minLength} characters`
        : spec.maxLength !== undefined
          ? `at most ${spec.maxLength} characters`
          : undefined,
    spec.pattern ? `pattern ${spec.pattern}` : undefined,
    spec.secret ? 'secret: sent sealed to the agent, never shown again' : undefined,
    spec.required === false ? 'optional' : undefined,
  ].filter(Boolean);
  return rules.join('; ');
}

/**
 * Checks every field in the browser (job-field-check.ts) before the job is sent:
 * the values as they are sent (hex normalised) and a message per field at fault.
 */
export function checkFields(
  specs: JobFieldSpec[],
  values: Record<string, string>,
  free: FreeRow[],
): { fields: Record<string, string>; errors: Record<string, string> } {
  const fields: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const checked = checkJobField(spec, values[spec.name] ?? '');
    if (checked.problem) errors[spec.name] = checked.problem;
    else if (checked.value !== '') fields[spec.name] = checked.value;
  }
  free.forEach((row, i) => {
    const name = row.name.trim();
    if (!name && !row.value) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      errors[`free-${i}`] = 'A field name is letters, digits and _ (not starting with a digit).';
    else fields[name] = row.value;
  });
  return { fields, errors };
}

/** The job's fields, generated from the encoding version's field list. */
export function JobFieldsForm({
  version,
  values,
  free,
  errors,
  onValue,
  onFree,
}: {
  version: EncodingVersionView;
  values: Record<string, string>;
  free: FreeRow[];
  errors: Record<string, string>;
  onValue: (name: string, value: string) => void;
  onFree: (rows: FreeRow[]) => void;
}) {
  const specs = fieldSpecsOf(version);
  const offerFree = version.fields === undefined;
  return (
    <fieldset class="job-fields">
      <legend>
        Fields of {version.id} v{version.version}
      </legend>
      {specs.length === 0 && !offerFree ? <p>This encoding asks for no field.</p> : null}
      {specs.map((spec) => {
        const id = `field-${spec.name}`;
        const hint = fieldHint(spec) || undefined;
        const error = errors[spec.name];
        return (
          <Field key={spec.name} id={id} label={spec.name} hint={hint} error={error}>
            <input
              id={id}
              name={spec.name}
              type={spec.secret ? 'password' : 'text'}
              autocomplete="off"
              spellcheck={false}
              class={spec.format === 'hex' ? 'mono' : undefined}
              value={values[spec.name] ?? ''}
              aria-invalid={error ? true : undefined}
              aria-required={spec.required === false ? undefined : true}
              aria-describedby={describedBy(id, hint, error)}
              onInput={(e) => onValue(spec.name, e.currentTarget.value)}
            />
          </Field>
        );
      })}
      {offerFree ? <FreeRows rows={free} errors={errors} onChange={onFree} /> : null}
    </fieldset>
  );
}

/** Name/value rows for fields the API does not list (an API from before field lists). */
function FreeRows({
  rows,
  errors,
  onChange,
}: {
  rows: FreeRow[];
  errors: Record<string, string>;
  onChange: (rows: FreeRow[]) => void;
}) {
  const set = (i: number, row: Partial<FreeRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...row } : r)));
  return (
    <div class="free-rows">
      <p class="field-hint">
        Other fields the encoding reads, by name (not secret: their values are shown with the job).
      </p>
      {rows.map((row, i) => (
        <div class="free-row" key={i}>
          <Field id={`free-name-${i}`} label={`Field name ${i + 1}`} error={errors[`free-${i}`]}>
            <input
              id={`free-name-${i}`}
              class="mono"
              autocomplete="off"
              value={row.name}
              aria-describedby={describedBy(`free-name-${i}`, undefined, errors[`free-${i}`])}
              onInput={(e) => set(i, { name: e.currentTarget.value })}
            />
          </Field>
          <Field id={`free-value-${i}`} label={`Value ${i + 1}`}>
            <input
              id={`free-value-${i}`}
              autocomplete="off"
              value={row.value}
              onInput={(e) => set(i, { value: e.currentTarget.value })}
            />
          </Field>
          <Button onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove field {i + 1}</Button>
        </div>
      ))}
      <Button onClick={() => onChange([...rows, { name: '', value: '' }])}>Add a field</Button>
    </div>
  );
}
