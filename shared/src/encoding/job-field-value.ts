import type { JobField, JobFieldFormat } from './job-field-rules';

// The checks of a job field's value, apart from its zod schema (job-field-rules.ts), so
// the web console's job form bundles them without zod and checks exactly as the cloud does.

/** Bytes of a value in its format (whitespace ignored in hex and base64). */
export function valueBytes(format: JobFieldFormat, value: string): number {
  const compact = value.replace(/\s+/g, '');
  if (format === 'hex') return compact.length / 2;
  if (format === 'base64') return (compact.length / 4) * 3 - (compact.match(/=+$/)?.[0].length ?? 0);
  return new TextEncoder().encode(value).length;
}

/**
 * Why a non-empty value does not fit the field (a sentence naming what is expected,
 * never the value: it may be secret), or undefined.
 */
export function fieldValueProblem(field: JobField, value: string): string | undefined {
  if (!new RegExp(field.pattern).test(value)) return `expected ${expectation(field)}`;
  const bytes = valueBytes(field.format, value);
  if (field.bytes !== undefined && bytes !== field.bytes) return `expected ${expectation(field)}`;
  if (field.minBytes !== undefined && bytes < field.minBytes) return `expected ${expectation(field)}`;
  if (field.maxBytes !== undefined && bytes > field.maxBytes) return `expected ${expectation(field)}`;
  return undefined;
}

/** "hex, exactly 24 bytes", "text, at most 32 bytes"… */
export function expectation(field: Pick<JobField, 'format' | 'bytes' | 'minBytes' | 'maxBytes'>): string {
  const what = {
    hex: 'hex digits in pairs',
    base64: 'base64',
    decimal: 'a decimal number',
    date: 'a date YYYYMMDD or today',
    boolean: 'true, false, 1 or 0',
    text: 'text',
  }[field.format];
  if (field.bytes !== undefined) return `${what}, exactly ${field.bytes} bytes`;
  if (field.minBytes !== undefined && field.maxBytes !== undefined)
    return `${what}, ${field.minBytes} to ${field.maxBytes} bytes`;
  if (field.maxBytes !== undefined) return `${what}, at most ${field.maxBytes} bytes`;
  return what;
}
