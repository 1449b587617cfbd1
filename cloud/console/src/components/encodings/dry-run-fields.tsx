import type { EncodingField, EncodingVersionView } from '../../api/encodings-api';
import { describedBy, Field } from '../ui';

/**
 * The fields a version's job takes. With the version's field list (`fields`), one input per
 * field with its rules and what is wrong with its value; from an API without it, the
 * secret fields and a free `NAME=value` list. Secret values go in password inputs and are
 * never shown again.
 */
export function DryRunFields({
  view,
  values,
  problems,
  extra,
  onValue,
  onExtra,
}: {
  view: EncodingVersionView;
  values: Record<string, string>;
  problems: Record<string, string>;
  extra: string;
  onValue: (name: string, value: string) => void;
  onExtra: (text: string) => void;
}) {
  const fields = fieldsOf(view);
  const extraHint = 'One field a line, as NAME=value. Lines without "=" are ignored.';
  return (
    <fieldset>
      <legend>Job fields</legend>
      {fields.length === 0 && view.fields ? <p>This version takes no field.</p> : null}
      {fields.map((field) => {
        const id = `dry-field-${field.name}`;
        const hint = fieldHint(field);
        const problem = problems[field.name];
        return (
          <Field
            id={id}
            label={`${field.name}${field.required ? ' (required)' : ''}`}
            hint={hint}
            error={problem}
            key={field.name}
          >
            <input
              id={id}
              type={field.secret ? 'password' : 'text'}
              autocomplete={field.secret ? 'new-password' : 'off'}
              spellcheck={false}
              value={values[field.name] ?? ''}
              aria-required={field.required}
              aria-invalid={problem ? true : undefined}
              aria-describedby={describedBy(id, hint, problem)}
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

/** The version's fields, or (an API without them) its secret fields, optional, any text. */
export function fieldsOf(view: EncodingVersionView): EncodingField[] {
  return (
    view.fields ??
    view.secretFields.map((name) => ({
      name,
      secret: true,
      required: false,
      format: 'text',
      pattern: '',
      description: 'A secret field of this version.',
    }))
  );
}

function fieldHint(field: EncodingField): string {
  return [
    field.description && !/[.!?]$/.test(field.description) ? `${field.description}.` : field.description,
    `Format: ${field.format}.`,
    field.secret ? 'Secret: sent sealed to the agent, never shown again.' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
