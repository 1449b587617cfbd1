import type { EncodingField, EncodingVersionView } from '../../api/encodings-api';
import { describedBy, Field } from '../ui';

/**
 * The fields a version's job takes. With the version's field list (`fields`), one input per
 * field with its rules; from an API without it, the secret fields and a free
 * `name=value` list. Secret values go in password inputs and are never shown again.
 */
export function DryRunFields({
  view,
  values,
  extra,
  onValue,
  onExtra,
}: {
  view: EncodingVersionView;
  values: Record<string, string>;
  extra: string;
  onValue: (name: string, value: string) => void;
  onExtra: (text: string) => void;
}) {
  const fields: EncodingField[] =
    view.fields ?? view.secretFields.map((name) => ({ name, secret: true, description: 'A secret field.' }));
  const extraHint = 'One field a line, as NAME=value. Lines without "=" are ignored.';
  return (
    <fieldset>
      <legend>Job fields</legend>
      {fields.length === 0 && view.fields ? <p>This version takes no field.</p> : null}
      {fields.map((field) => {
        const id = `dry-field-${field.name}`;
        const hint = fieldHint(field);
        return (
          <Field
            id={id}
            label={`${field.name}${field.required ? ' (required)' : ''}`}
            hint={hint}
            key={field.name}
          >
            <input
              id={id}
              type={field.secret ? 'password' : 'text'}
              autocomplete={field.secret ? 'new-password' : 'off'}
              value={values[field.name] ?? ''}
              required={field.required}
              {...(field.pattern ? { pattern: field.pattern } : {})}
              {...(field.minLength !== undefined ? { minLength: field.minLength } : {})}
              {...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {})}
              aria-describedby={describedBy(id, hint)}
              onInput={(e) => onValue(field.name, (e.currentTarget as HTMLInputElement).value)}
            />
          </Field>
        );
      })}
      {view.fields ? null : (
        <Field id="dry-extra" label="Other fields" hint={extraHint}>
          <textarea
            id="dry-extra"
            rows={4}
            spellcheck={false}
            value={extra}
            aria-describedby="dry-extra-hint"
            onInput={(e) => onExtra((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </Field>
      )}
    </fieldset>
  );
}

function fieldHint(field: EncodingField): string | undefined {
  const rules = [
    field.description,
    field.format ? `Format: ${field.format}.` : '',
    field.minLength !== undefined || field.maxLength !== undefined
      ? `Length ${field.minLength ?? 0}–${field.maxLength ?? '…'}.`
      : '',
    field.secret ? 'Secret: sent sealed to the agent, never shown again.' : '',
  ].filter(Boolean);
  return rules.length ? rules.join(' ') : undefined;
}
