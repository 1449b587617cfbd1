import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';
import type { CliIo } from './cli-io';

/**
 * Login profiles: named API URL + bearer token pairs in the user's config directory
 * ($XDG_CONFIG_HOME/cardfleet/profiles.json, else ~/.config/...), written 0600 because
 * the file holds tokens (docs/security.md: tokens are secrets). Environment variables
 * still win, so a CI job needs no file.
 */
export interface Profile {
  url: string;
  token: string;
}
type ProfileFile = { profiles: Record<string, Profile> };

export const DEFAULT_PROFILE = 'default';

export function configDirectory(env: CliIo['env']): string | undefined {
  if (env.CARDFLEET_CONFIG_DIR) return env.CARDFLEET_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, '.config') : undefined);
  return base ? join(base, 'cardfleet') : undefined;
}

function profilesPath(env: CliIo['env']): string {
  const dir = configDirectory(env);
  if (!dir) throw new CardfleetError('CLI_USAGE', 'no config directory: set HOME or XDG_CONFIG_HOME');
  return join(dir, 'profiles.json');
}

function readProfiles(path: string): ProfileFile {
  if (!existsSync(path)) return { profiles: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CardfleetError('FILE_UNREADABLE', `${path}: not a readable profiles file`, { cause });
  }
  const profiles = (parsed as Partial<ProfileFile> | null)?.profiles;
  if (!profiles || typeof profiles !== 'object')
    throw new CardfleetError('FILE_UNREADABLE', `${path}: expected {"profiles": {...}}`);
  return { profiles };
}

function writeProfiles(path: string, file: ProfileFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file.
  chmodSync(path, 0o600);
}

export function selectedProfile(env: CliIo['env'], flag: string | undefined): string {
  return flag ?? env.CARDFLEET_PROFILE ?? DEFAULT_PROFILE;
}

export function saveProfile(env: CliIo['env'], name: string, profile: Profile): string {
  const path = profilesPath(env);
  const file = readProfiles(path);
  file.profiles[name] = profile;
  writeProfiles(path, file);
  return path;
}

export function removeProfile(env: CliIo['env'], name: string): boolean {
  const path = profilesPath(env);
  const file = readProfiles(path);
  if (!file.profiles[name]) return false;
  delete file.profiles[name];
  writeProfiles(path, file);
  return true;
}

export function listProfiles(env: CliIo['env']): { name: string; url: string }[] {
  const dir = configDirectory(env);
  if (!dir) return [];
  return Object.entries(readProfiles(join(dir, 'profiles.json')).profiles).map(([name, p]) => ({
    name,
    url: p.url,
  }));
}

/**
 * The environment the API client reads: CARDFLEET_API_URL and CARDFLEET_TOKEN as set,
 * else from the selected profile. A profile asked for by name must exist.
 */
export function connectionEnv(env: CliIo['env'], flag: string | undefined): CliIo['env'] {
  const name = selectedProfile(env, flag);
  const dir = configDirectory(env);
  const named = flag !== undefined || env.CARDFLEET_PROFILE !== undefined;
  if (!dir) {
    if (named) throw new CardfleetError('CLI_USAGE', `no profile ${name}: no config directory`);
    return env;
  }
  const profile = readProfiles(join(dir, 'profiles.json')).profiles[name];
  if (!profile && named)
    throw new CardfleetError('CLI_USAGE', `no profile ${name} (see: cardfleet profiles list)`);
  return {
    ...env,
    CARDFLEET_API_URL: env.CARDFLEET_API_URL ?? profile?.url,
    CARDFLEET_TOKEN: env.CARDFLEET_TOKEN ?? profile?.token,
  };
}
