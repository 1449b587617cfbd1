/** `NAME=value` lines to fields (the value may hold "="; blank names are skipped). */
export function parseFieldLines(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    const name = at > 0 ? line.slice(0, at).trim() : '';
    if (name) fields[name] = line.slice(at + 1).trim();
  }
  return fields;
}
