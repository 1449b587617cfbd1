import type { EncodingVersionView, JobFieldSpec } from '../../api/job-form-api';
import { expectation, fieldValueProblem } from '../../api/shared-core';
import { describedBy, Field } from '../ui';

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
  return { fields, errors };
}

/** The job's fields, generated from the encoding version's field list. */
export function JobFieldsForm({
  version,
  values,
  errors,
  onValue,
}: {
  version: EncodingVersionView;
  values: Record<string, string>;
  errors: Record<string, string>;
  onValue: (name: string, value: string) => void;
}) {
  const specs = version.fields;
  return (
    <fieldset class="job-fields">
      <legend>
        Fields of {version.id} v{version.version}
      </legend>
      {specs.length === 0 ? <p>This encoding asks for no field: the card gives it all it needs.</p> : null}
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
    </fieldset>
  );
}
