import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The edge agent's version, as its package names it (edge-agent/package.json): the agent
 * announces it in every presence (docs/messaging.md, "Agent → cloud"), so operators see
 * which version runs in which office. Read from the file at run time — the agent runs
 * from its sources (tsx) and the package file travels with them.
 */
export function agentVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string().min(1) }).parse(JSON.parse(text)).version;
}
