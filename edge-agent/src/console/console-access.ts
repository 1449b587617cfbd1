import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';
import { type ConsoleAccess, ConsoleAccessSchema } from './console-schemas';

/**
 * A running daemon leaves its console URL and a fresh token in `console.json` (0600)
 * in its state directory: `cardfleet-agent prompt` reads it there, the operator opens
 * `url#token=…` (the fragment never reaches a server log).
 */
const FILE = 'console.json';

export function newConsoleToken(): string {
  return randomBytes(24).toString('base64url');
}

export function writeConsoleAccess(stateDirectory: string, access: ConsoleAccess): void {
  writeFileSync(join(stateDirectory, FILE), JSON.stringify(access), { mode: 0o600 });
}

export function removeConsoleAccess(stateDirectory: string): void {
  rmSync(join(stateDirectory, FILE), { force: true });
}

export function readConsoleAccess(stateDirectory: string): ConsoleAccess {
  let text: string;
  try {
    text = readFileSync(join(stateDirectory, FILE), 'utf8');
  } catch {
    throw new CardfleetError(
      'CONSOLE_NOT_RUNNING',
      `no operator console in ${stateDirectory} (is the agent running with this state directory?)`,
    );
  }
  const parsed = ConsoleAccessSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new CardfleetError('CONSOLE_NOT_RUNNING', `${join(stateDirectory, FILE)} is not valid`);
  return parsed.data;
}

/** The address an operator opens in a browser on the station. */
export function consoleLink(access: ConsoleAccess): string {
  return `${access.url}#token=${access.token}`;
}
