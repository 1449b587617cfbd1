import { type ApduScript, ENCODING_KEYS, parseIni, REDACTED, type ValidatedBundle } from '@cardfleet/shared';

/**
 * The admin-readable view of a stored bundle: the same files, with every literal
 * secret value replaced (secret keys of the encoding, fixed CR keys in scripts).
 * Field references stay visible — they name a field, not a value.
 */
export function redactedBundleFiles(
  bundle: ValidatedBundle,
  texts: ReadonlyMap<string, string>,
): { name: string; text: string }[] {
  return [...texts].map(([name, text]) => {
    if (name === bundle.encodingFile.name) return { name, text: redactEncodingText(text, name) };
    const script = bundle.scripts.get(name);
    return { name, text: script ? redactScriptText(text, script) : text };
  });
}

function redactEncodingText(text: string, file: string): string {
  const lines = text.split(/\r?\n/);
  const { document } = parseIni(text, file);
  for (const entry of [...document.global, ...document.sections.flatMap((s) => s.entries)]) {
    const spec = ENCODING_KEYS[entry.key];
    if (!spec?.secret || entry.value.startsWith('${')) continue;
    const line = lines[entry.line - 1] ?? '';
    lines[entry.line - 1] = `${line.slice(0, entry.valueColumn - 1)}${REDACTED}`;
  }
  return lines.join('\n');
}

function redactScriptText(text: string, script: ApduScript): string {
  const lines = text.split(/\r?\n/);
  for (const line of script.lines) {
    if (line.kind !== 'CR' || line.key.kind !== 'literal') continue;
    lines[line.line - 1] = (lines[line.line - 1] ?? '').replace(/0x[0-9A-Fa-f ]+/, REDACTED);
  }
  return lines.join('\n');
}
