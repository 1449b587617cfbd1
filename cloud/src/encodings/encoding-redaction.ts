import { encodingSecretSpans, parseScript, redactSpans, type ValidatedBundle } from '@cardfleet/shared';

/**
 * The admin-readable view of a stored bundle: the same files, with every literal
 * secret value replaced (secret keys of the encoding, fixed CR keys in scripts).
 * The spans come from the parsers, which mark what the grammar calls secret, so no
 * spelling of a value escapes a text pattern (docs/security.md, Invariants 3).
 * Field references stay visible — they name a field, not a value.
 */
export function redactedBundleFiles(
  bundle: ValidatedBundle,
  texts: ReadonlyMap<string, string>,
): { name: string; text: string }[] {
  return [...texts].map(([name, text]) => {
    if (name === bundle.encodingFile.name)
      return { name, text: redactSpans(text, encodingSecretSpans(text, name)) };
    if (!bundle.scripts.has(name)) return { name, text };
    return { name, text: redactSpans(text, parseScript(text, name).secrets) };
  });
}
