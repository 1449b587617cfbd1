import { basename } from 'node:path';
import { type Application, CardfleetError, settingText } from '@cardfleet/shared';

/**
 * Encodings name Windows DLLs (PKCS11Library, PKCS11LibraryWindows32/64, Gemalto
 * seed). The agent's configuration maps those names to local modules (.so); a name
 * without a mapping is a clear error, never a guess. Keys match the full value or
 * its file name, case-insensitively (Windows paths are case-insensitive).
 */
export type ModuleMapping = Readonly<Record<string, string>>;

const LIBRARY_KEYS = ['PKCS11Library', 'PKCS11LibraryWindows64', 'PKCS11LibraryWindows32'] as const;

export function resolveModulePath(app: Application, mapping: ModuleMapping): string {
  const entries = Object.entries(mapping).map(([name, path]) => [name.toLowerCase(), path] as const);
  const named: string[] = [];
  for (const key of LIBRARY_KEYS) {
    const value = settingText(app.settings[key]);
    if (!value) continue;
    named.push(`${key}=${value}`);
    const file = basename(value.replace(/\\/g, '/')).toLowerCase();
    const hit = entries.find(([name]) => name === value.toLowerCase() || name === file);
    if (hit) return hit[1];
  }
  throw new CardfleetError(
    'MODULE_NOT_MAPPED',
    `[${app.name}] no local PKCS#11 module is mapped for ${named.join(', ') || 'this application'}: add it to "pkcs11Modules" in the agent configuration`,
  );
}
