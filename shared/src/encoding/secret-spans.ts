import type { SecretSpan } from '../apdu-script/script-ast';
import { REDACTED } from '../messages/redaction';
import { ENCODING_KEYS } from './encoding-keys';
import { FIELD_REFERENCE } from './encoding-model';
import { parseIni } from './ini-document';
import { PROMPT_VALUE } from './prompt-keys';

/**
 * Where the literal secrets of an encoding description are written: the value of every
 * key the grammar marks secret (encoding-keys.ts), unless it is a field reference or a
 * prompt — those name where a value comes from, not the value. Taken from the parsed
 * document, never from a pattern over the text, so every spelling the grammar accepts
 * is covered (docs/security.md, Invariants 3).
 */
export function encodingSecretSpans(text: string, file: string): SecretSpan[] {
  const { document } = parseIni(text, file);
  // parseIni drops a leading byte-order mark before counting columns.
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  return [...document.global, ...document.sections.flatMap((s) => s.entries)]
    .filter((entry) => ENCODING_KEYS[entry.key]?.secret)
    .filter((entry) => entry.value !== PROMPT_VALUE && !FIELD_REFERENCE.test(entry.value))
    .filter((entry) => entry.value.length > 0)
    .map((entry) => ({
      line: entry.line,
      column: entry.valueColumn + (entry.line === 1 ? bom : 0),
      length: entry.value.length,
    }));
}

/** The text with each span replaced by REDACTED; line breaks are kept as written. */
export function redactSpans(text: string, spans: readonly SecretSpan[]): string {
  const parts = text.split(/(\r?\n)/);
  for (const span of [...spans].sort((a, b) => b.column - a.column)) {
    const index = (span.line - 1) * 2;
    const line = parts[index];
    if (line === undefined) continue;
    parts[index] = `${line.slice(0, span.column - 1)}${REDACTED}${line.slice(span.column - 1 + span.length)}`;
  }
  return parts.join('');
}
