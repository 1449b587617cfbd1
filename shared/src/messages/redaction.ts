/**
 * Redaction of secret values (PINs, PUK, Card Manager Key, CR keys, secret fields)
 * from anything that leaves the code path that needs them: traces, results, logs,
 * errors. A value is hidden in its own spelling and in the encodings it is likely
 * to take on the way (upper/lower-case hex of its UTF-8 bytes, base64).
 */
export const REDACTED = '[REDACTED]';

export type Redactor = {
  text(value: string): string;
  deep<T>(value: T): T;
};

export function createRedactor(secretValues: Iterable<string>): Redactor {
  const needles = new Set<string>();
  for (const value of secretValues) {
    if (value === '') continue;
    const bytes = Buffer.from(value, 'utf8');
    for (const variant of [
      value,
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
    ]) {
      needles.add(variant);
    }
    // A value that is itself hex (keys) also appears in the other case in traces.
    if (/^[0-9A-Fa-f]+$/.test(value)) {
      needles.add(value.toUpperCase());
      needles.add(value.toLowerCase());
    }
  }
  // Longest first, so a value never leaves a recognisable tail of a longer one.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  const text = (value: string): string => {
    let out = value;
    for (const needle of ordered) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
  const deep = <T>(value: T): T => {
    if (typeof value === 'string') return text(value) as T;
    if (Array.isArray(value)) return value.map(deep) as T;
    if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v)])) as T;
    }
    return value;
  };
  return { text, deep };
}

/** Field map with the values of secret fields replaced. */
export function redactFields(
  fields: Readonly<Record<string, string>>,
  secretFields: Iterable<string>,
): Record<string, string> {
  const secret = new Set(secretFields);
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, secret.has(k) ? REDACTED : v]));
}
