import type { BundleFile } from '../../api/encodings-api';

/**
 * Files chosen in the browser as bundle files. Like `cardfleet encodings push <dir>`
 * (shared/src/node/bundle-from-path.ts), a folder gives its top-level files only; a bundle
 * names its scripts without folders (docs/encoding-format.md).
 */
export async function readChosenFiles(
  list: FileList | null,
): Promise<{ files: BundleFile[]; folder?: string }> {
  const chosen = Array.from(list ?? []);
  const topLevel = chosen.filter((file) => relativePath(file).split('/').length <= 2);
  const files = await Promise.all(
    topLevel.map(async (file) => ({ name: file.name, text: await file.text() })),
  );
  const folder = chosen
    .map(relativePath)
    .find((path) => path.includes('/'))
    ?.split('/')[0];
  return folder ? { files, folder } : { files };
}

const relativePath = (file: File) =>
  (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;

/** Files added later replace files of the same name (choosing a corrected file again). */
export function mergeFiles(current: BundleFile[], added: BundleFile[]): BundleFile[] {
  const names = new Set(added.map((f) => f.name));
  return [...current.filter((f) => !names.has(f.name)), ...added].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** An encoding id from a folder or file name, as the CLI derives it (`examples/read-version` → `read-version`). */
export function idFromName(name: string): string {
  return name
    .replace(/\.(zip|ini)$/i, '')
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
}
