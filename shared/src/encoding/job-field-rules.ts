import { z } from 'zod';
import type { ValueType } from './key-spec';

/**
 * What one use of a job field needs its value to look like (docs/encoding-format.md,
 * "Job fields"), as rules a browser checks the same way the cloud does: a format, byte
 * lengths when the use fixes them, and one regular expression over the whole value.
 * Hex and base64 may hold whitespace, as the agent reads them (apdu-script/field-format.ts).
 */
export const JOB_FIELD_FORMATS = ['hex', 'base64', 'decimal', 'date', 'boolean', 'text'] as const;
export type JobFieldFormat = (typeof JOB_FIELD_FORMATS)[number];

export const JobFieldSchema = z
  .object({
    name: z.string(),
    /** Sealed at rest and in the envelope, never shown: a password input. */
    secret: z.boolean(),
    /** Absent or empty refuses the job (JOB_FIELD_MISSING); optional fields are only read by DYN lines. */
    required: z.boolean(),
    format: z.enum(JOB_FIELD_FORMATS),
    /** Exact length in bytes (hex, base64) when a use fixes it. */
    bytes: z.number().int().positive().optional(),
    /** Byte-length bounds (hex, base64: decoded bytes; text: UTF-8 bytes) when a use sets them. */
    minBytes: z.number().int().nonnegative().optional(),
    maxBytes: z.number().int().positive().optional(),
    /** A JavaScript regular expression (source, anchored) every non-empty value must match. */
    pattern: z.string(),
    /** Where the version uses it, one line each ("APDU script perso.apdu line 12: DYN data"). */
    uses: z.array(z.string()),
    /** The uses in one sentence, for a form's help text. */
    description: z.string(),
  })
  .meta({ id: 'JobField' });

export type JobField = z.infer<typeof JobFieldSchema>;

/** One use's rule; a field's rule is all of its uses' (job-fields.ts merges them). */
export interface FieldRule {
  format: JobFieldFormat;
  bytes?: number;
  minBytes?: number;
  maxBytes?: number;
  /** Unanchored source; `anchored` wraps it. */
  body: string;
}

const HEX_BYTE = '\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]';
const B64 = '[A-Za-z0-9+/]\\s*';

export function hexRule(bytes?: number, range?: readonly [number, number]): FieldRule {
  if (bytes !== undefined) return { format: 'hex', bytes, body: `(?:${HEX_BYTE}){${bytes}}\\s*` };
  if (range)
    return {
      format: 'hex',
      minBytes: range[0],
      maxBytes: range[1],
      body: `(?:${HEX_BYTE}){${range[0]},${range[1]}}\\s*`,
    };
  return { format: 'hex', body: `(?:${HEX_BYTE})*\\s*` };
}

/** Hex of one of several exact lengths (a 3DES key: 16 or 24 bytes). */
export function hexOfLengths(lengths: readonly number[]): FieldRule {
  if (lengths.length === 1) return hexRule(lengths[0]);
  return {
    format: 'hex',
    minBytes: Math.min(...lengths),
    maxBytes: Math.max(...lengths),
    body: `(?:${lengths.map((n) => `(?:${HEX_BYTE}){${n}}`).join('|')})\\s*`,
  };
}

/** Canonical base64 (RFC 4648 §4): groups of four, at most two `=` at the end. */
export const BASE64_RULE: FieldRule = {
  format: 'base64',
  body: `\\s*(?:(?:${B64}){4})*(?:(?:${B64}){2}=\\s*=\\s*|(?:${B64}){3}=\\s*)?`,
};

export const TEXT_RULE: FieldRule = { format: 'text', body: '[\\s\\S]*' };

/** The rule a setting key's type gives the field its `${FIELD}` names (encoding-keys.ts). */
export function settingRule(key: string, type: ValueType): FieldRule {
  // Certificates are base64 of DER (pkcs11-setting-checks.ts); a token label fits
  // CK_TOKEN_INFO.label, 32 bytes (PKCS#11 v2.40 §3.2).
  if (key === 'Certificate' || key === 'CaCertificate') return BASE64_RULE;
  if (key === 'TokenLabel') return { ...TEXT_RULE, maxBytes: 32 };
  switch (type.kind) {
    case 'hex':
      return hexRule(type.bytes, type.range);
    case 'integer':
      return type.allowed
        ? { format: 'decimal', body: type.allowed.join('|') }
        : { format: 'decimal', body: '[0-9]+' };
    case 'date':
      return { format: 'date', body: '[0-9]{8}|today' };
    case 'boolean':
      return { format: 'boolean', body: '[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0' };
    case 'enum':
      return { format: 'text', body: type.values.map(escapeRegExp).join('|') };
    default:
      return TEXT_RULE;
  }
}

export const anchored = (body: string) => `^(?:${body})$`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
