import type { EncodingField } from '../../api/encodings-api';

/**
 * A field's value checked by the rules the cloud applies (a required value, the field's
 * anchored pattern: docs/encoding-format.md "Job fields"), so the form says what is wrong
 * beside the input before anything is sent. The cloud checks again; this only helps.
 */
export function fieldProblem(field: EncodingField, value: string): string | undefined {
  if (!value) return field.required ? `${field.name} is required.` : undefined;
  let rule: RegExp;
  try {
    rule = new RegExp(field.pattern);
  } catch {
    return undefined; // a rule this browser cannot read: the cloud's check decides
  }
  if (rule.test(value)) return undefined;
  const size =
    field.bytes !== undefined
      ? ` of ${field.bytes} bytes`
      : field.minBytes !== undefined || field.maxBytes !== undefined
        ? ` of ${field.minBytes ?? 0} to ${field.maxBytes ?? 'any number of'} bytes`
        : '';
  return `${field.name} must be ${field.format}${size}.`;
}
