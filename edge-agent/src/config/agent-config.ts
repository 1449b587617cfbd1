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

const DEFAULT_LICENSE_DIRECTORY = join(homedir(), '.cardfleet', 'licenses');

export function loadAgentConfig(path: string | undefined): AgentConfig {
  if (!path) return { pkcs11Modules: {}, licenseDirectory: DEFAULT_LICENSE_DIRECTORY };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CardfleetError('CONFIG_UNREADABLE', `${path}: not a readable JSON file`, { cause });
  }
  return agentConfigFrom(json, dirname(resolve(path)), path);
}

/** The same from an object already read (relative paths against `baseDirectory`). */
export function agentConfigFrom(json: unknown, baseDirectory: string, source = 'configuration'): AgentConfig {
  const parsed = AgentConfigSchema.safeParse(json);
  if (!parsed.success)
    throw new CardfleetError('CONFIG_INVALID', `${source}: ${z.prettifyError(parsed.error)}`);
  return {
    pkcs11Modules: Object.fromEntries(
      Object.entries(parsed.data.pkcs11Modules).map(([name, module]) => [
        name,
        resolve(baseDirectory, module),
      ]),
    ),
    licenseDirectory: parsed.data.licenseDirectory
      ? resolve(baseDirectory, parsed.data.licenseDirectory)
      : DEFAULT_LICENSE_DIRECTORY,
  };
}
