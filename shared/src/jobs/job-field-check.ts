/**
 * A job field's value checked against what the encoding says of the field (its format,
 * pattern and lengths), before it is sent: the web console's job form says what is wrong
 * next to the field instead of after a round trip. The API checks again; this only spares
 * the operator a refused request. Pure, with no import, so the browser bundles it.
 * Messages name the rule, never the value (a field may be secret: docs/security.md).
 */
export interface JobFieldRule {
  name: string;
  /** How the encoding reads the value (docs/encoding-format.md, field formats). */
  format?: string | undefined;
  /** A regular expression the whole value must match. */
  pattern?: string | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
  required?: boolean | undefined;
}

export interface JobFieldCheck {
  /** The value as it is sent: hex without spaces, in upper case. */
  value: string;
  problem?: string;
}

/** Hex as typed (`3f 00`, `3F00`): spaces go, letters go upper case. */
export const normaliseHex = (value: string) => value.replace(/\s+/g, '').toUpperCase();

export function checkJobField(rule: JobFieldRule, typed: string): JobFieldCheck {
  const value = rule.format === 'hex' ? normaliseHex(typed) : typed;
  const problem = problemOf(rule, value);
  return problem ? { value, problem } : { value };
}

function problemOf(rule: JobFieldRule, value: string): string | undefined {
  if (value === '') return rule.required ? 'Enter a value.' : undefined;
  if (rule.format === 'hex' && !/^(?:[0-9A-F]{2})*$/.test(value))
    return 'Enter hex digits (0-9, A-F), two per byte.';
  if (rule.format === 'base64' && (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0))
    return 'Enter base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4).';
  if (rule.minLength !== undefined && value.length < rule.minLength)
    return `Enter at least ${rule.minLength} characters.`;
  if (rule.maxLength !== undefined && value.length > rule.maxLength)
    return `Enter at most ${rule.maxLength} characters.`;
  const pattern = wholeMatch(rule.pattern);
  if (pattern && !pattern.test(value)) return `The value must match the pattern ${rule.pattern}.`;
  return undefined;
}

/** The pattern anchored to the whole value; none when the browser cannot read it (the API still checks). */
function wholeMatch(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}
