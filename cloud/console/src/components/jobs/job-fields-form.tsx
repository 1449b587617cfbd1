import type { EncodingVersionView, JobFieldSpec } from '../../api/job-form-api';
import { expectation, fieldValueProblem } from '../../api/shared-core';
import { Button, describedBy, Field } from '../ui';

/** The fields a version asks for: its own list, or (an API before field lists) its secret fields by name. */
export function fieldSpecsOf(version: EncodingVersionView): JobFieldSpec[] {
  // Without a field list a secret field may as well be a PIN typed at the station (set-pin's
  // TPIN, NEW_PIN): offered, never required.
  return (
    version.fields ??
    version.secretFields.map((name) => ({
      name,
      secret: true,
      required: false,
      format: 'text' as const,
      pattern: '',
      uses: [],
      description: 'Leave empty when the station asks for it (a PIN)',
    }))
  );
}

export interface FreeRow {
  name: string;
  value: string;
}

/** What the hint under a field says: where the encoding uses it and what its value must be. */
export function fieldHint(spec: JobFieldSpec): string {
  return [
    spec.description,
    `Expected: ${expectation(spec)}${spec.format === 'hex' ? ' (spaces are removed)' : ''}`,
    spec.secret ? 'Secret: sent sealed to the agent, never shown again' : undefined,
    spec.required ? undefined : 'Optional',
  ]
    .filter(Boolean)
    .join('. ');
}

/** A value as it is sent: hex and base64 without the whitespace the agent would skip, hex in upper case. */
export function normalisedValue(spec: JobFieldSpec, typed: string): string {
  if (spec.format === 'hex') return typed.replace(/\s+/g, '').toUpperCase();
  if (spec.format === 'base64') return typed.replace(/\s+/g, '');
  return typed;
}

/**
 * Checks every field in the browser with the cloud's own rules (fieldValueProblem,
 * shared/src/encoding/job-field-value.ts) before the job is sent: the values as they are
 * sent, and a message per field at fault that names the rule, never the value.
 */
export function checkFields(
  specs: JobFieldSpec[],
  values: Record<string, string>,
  free: FreeRow[],
): { fields: Record<string, string>; errors: Record<string, string> } {
  const fields: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const value = normalisedValue(spec, values[spec.name] ?? '');
    if (value === '') {
      if (spec.required) errors[spec.name] = 'Enter a value: this field is required.';
      continue;
    }
    const problem = fieldValueProblem(spec, value);
    if (problem) errors[spec.name] = `The value does not fit: ${problem}.`;
    else fields[spec.name] = value;
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
              aria-required={spec.required ? true : undefined}
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
