import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';
import { z } from 'zod';

/**
 * The agent's configuration file (`--config agent.json`). Relative paths are relative
 * to the file. Everything is optional for the CLI; the daemon adds its own keys.
 */
export const AgentConfigSchema = z.object({
  /** Encoding DLL names (PKCS11Library*) → local PKCS#11 modules (.so). */
  pkcs11Modules: z.record(z.string(), z.string()).default({}),
  /** Where generated licenses wait until the card has them. */
  licenseDirectory: z.string().optional(),
});

export interface AgentConfig {
  pkcs11Modules: Record<string, string>;
  licenseDirectory: string;
}

export function loadAgentConfig(path: string | undefined): AgentConfig {
  const defaults = { pkcs11Modules: {}, licenseDirectory: join(homedir(), '.cardfleet', 'licenses') };
  if (!path) return defaults;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CardfleetError('CONFIG_UNREADABLE', `${path}: not a readable JSON file`, { cause });
  }
  const parsed = AgentConfigSchema.safeParse(json);
  if (!parsed.success)
    throw new CardfleetError('CONFIG_INVALID', `${path}: ${z.prettifyError(parsed.error)}`);
  const base = dirname(resolve(path));
  return {
    pkcs11Modules: Object.fromEntries(
      Object.entries(parsed.data.pkcs11Modules).map(([name, module]) => [name, resolve(base, module)]),
    ),
    licenseDirectory: parsed.data.licenseDirectory
      ? resolve(base, parsed.data.licenseDirectory)
      : defaults.licenseDirectory,
  };
}
