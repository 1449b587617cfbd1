import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Bundle } from '../bundle/bundle';
import { readZipBundle } from '../bundle/bundle';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * File-system adapter for bundles: a directory (its top-level files), a `.zip`, or a
 * lone encoding file — in which case the `.apdu` files beside it come along, as an
 * admin editing a folder expects.
 */
export function readBundleFromPath(path: string): Bundle {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (cause) {
    throw new CardfleetError('BUNDLE_NOT_FOUND', `${path}: no such file or directory`, { cause });
  }
  if (stat.isDirectory()) return { files: topLevelFiles(path, () => true) };
  const bytes = new Uint8Array(readFileSync(path));
  if (path.toLowerCase().endsWith('.zip')) return readZipBundle(bytes, basename(path));
  const scripts = topLevelFiles(dirname(path), (name) => name.toLowerCase().endsWith('.apdu'));
  return { files: [{ name: basename(path), bytes }, ...scripts] };
}

function topLevelFiles(directory: string, keep: (name: string) => boolean) {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => ({ name: entry.name, bytes: new Uint8Array(readFileSync(join(directory, entry.name))) }));
}
