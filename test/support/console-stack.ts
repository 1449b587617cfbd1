import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LogRecord, recordLogger } from '@cardfleet/shared';
import { inject } from 'vitest';
import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import { waitForCard } from '../../edge-agent/src/readers/wait-for-card';
import { LOCAL_AGENT, LOCAL_OFFICE, startLocalSystem } from '../../scripts/local-system';

/**
 * What the console's browser tests drive: `npm start`'s parts (scripts/local-system.ts) —
 * the cloud on dynalite with the embedded Aedes broker, and the enrolled agent of office
 * "local" with the virtual CardOS card in pcscd's first vpcd reader. With
 * CARDFLEET_CONSOLE_CARD=inprocess the card is in-process instead (development only: it
 * leaves the machine-wide vpcd readers to other runs). The console is built first, so the
 * tests see the sources as they are.
 */
export interface ConsoleStack {
  url: string;
  agentId: string;
  office: string;
  reader: string;
  /** The agent's station page (PIN entry), token in its fragment. */
  stationLink: string;
  tokens: { admin: string; admin2: string; operator: string; auditor: string; otherOperator: string };
  /** Sign-in link per role (`/console/#token=…`). */
  links: Record<keyof ConsoleStack['tokens'], string>;
  /** Structured log records of the cloud and the agent, for a test to look into. */
  logs: LogRecord[];
  /** A JSON API call with a role's token. */
  api(method: string, path: string, role: keyof ConsoleStack['tokens'], body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export const OTHER_OFFICE = 'paris';

export async function startConsoleStack(): Promise<ConsoleStack> {
  const root = join(import.meta.dirname, '../..');
  execFileSync(process.execPath, ['scripts/build.mjs', 'console'], { cwd: root, stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'cardfleet-console-'));
  const logs: LogRecord[] = [];
  const logger = recordLogger((record) => logs.push(record));
  const inProcess = process.env.CARDFLEET_CONSOLE_CARD === 'inprocess';
  const rig = inProcess ? undefined : inject('rig');
  if (rig) {
    // A card an earlier test left in the reader must be gone before ours goes in.
    const readers = new PcscliteReaders();
    await waitForCard(readers, rig.readerNames[0], false).finally(() => readers.close());
  }
  const system = await startLocalSystem({
    dataDir,
    ...(rig ? { vpcd: `127.0.0.1:${rig.vpcdPorts[0]}`, reader: rig.readerNames[0] } : {}),
    cloudLogger: logger,
    agentLogger: logger,
  });
  const tokens = {
    ...system.tokens,
    otherOperator: await system.issue('paris-operator', 'operator', OTHER_OFFICE),
  };
  const url = system.cloud.url;
  return {
    url,
    agentId: LOCAL_AGENT,
    office: LOCAL_OFFICE,
    reader: system.reader,
    stationLink: system.agent.consoleLink,
    tokens,
    links: { ...system.consoleLinks, otherOperator: `${url}/console/#token=${tokens.otherOperator}` },
    logs,
    api: (method, path, role, body) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[role]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    async stop() {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
