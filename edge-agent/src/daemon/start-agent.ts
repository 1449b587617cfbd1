import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';
import { z } from 'zod';
import { agentConfigFrom } from '../config/agent-config';
import { InProcessReaders } from '../readers/in-process-readers';
import { PcscliteReaders } from '../readers/pcsclite-readers';
import type { ReaderPort } from '../readers/reader-port';
import { systemClock } from '../runner/clock';
import type { Prompter } from '../runner/prompter';
import { createLicenseHandler } from '../tokens/license-application';
import { createPkcs11Handler } from '../tokens/pkcs11-application';
import { loadCardProfile } from '../virtual-card/card-profile';
import { AgentDaemon } from './agent-daemon';
import { loadAgentIdentity } from './agent-identity';
import { JobLedger } from './job-ledger';
import { ResultOutbox } from './result-outbox';

/**
 * `cardfleet-agent start --config agent.json`: the daemon from its configuration:
 *   { "stateDirectory", "mqttUrl", "mqttPasswordFile"?, "reader", "virtualCard"?,
 *     "pkcs11Modules"?, "licenseDirectory"? }
 * The broker password sits in its own file (0600), never in the configuration.
 * `virtualCard` puts an in-process virtual card in reader "Virtual Reader 0" instead
 * of using pcscd.
 */
const DaemonConfigSchema = z.looseObject({
  stateDirectory: z.string(),
  mqttUrl: z.string(),
  mqttPasswordFile: z.string().optional(),
  reader: z.string().optional(),
  virtualCard: z.string().optional(),
});

/** Until the operator console exists, PIN lines cannot be answered by a daemon. */
const noConsolePrompter: Prompter = {
  async askPins() {
    throw new CardfleetError(
      'PIN_UNAVAILABLE',
      'this agent runs without an operator console; PIN lines cannot be answered',
    );
  },
};

export async function startAgent(configPath: string, raw: unknown, baseDirectory = process.cwd()) {
  const parsed = DaemonConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new CardfleetError('CONFIG_INVALID', `${configPath}: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const base = agentConfigFrom(raw, baseDirectory, configPath);
  const identity = await loadAgentIdentity(config.stateDirectory);
  let readers: ReaderPort;
  let reader = config.reader;
  if (config.virtualCard) {
    const local = new InProcessReaders();
    local.insert('Virtual Reader 0', loadCardProfile(config.virtualCard));
    readers = local;
    reader ??= 'Virtual Reader 0';
  } else {
    readers = new PcscliteReaders();
  }
  if (!reader)
    throw new CardfleetError('CONFIG_INVALID', `${configPath}: "reader" names the reader jobs run on`);
  const daemon = new AgentDaemon({
    agentId: identity.agentId,
    mqttUrl: config.mqttUrl,
    ...(config.mqttPasswordFile
      ? { mqttPassword: readFileSync(resolve(baseDirectory, config.mqttPasswordFile), 'utf8').trim() }
      : {}),
    keys: identity.keys,
    privateKey: identity.privateKey,
    ledger: new JobLedger(join(config.stateDirectory, 'ledger.jsonl')),
    outbox: new ResultOutbox(join(config.stateDirectory, 'outbox')),
    readers,
    defaultReader: reader,
    prompter: noConsolePrompter,
    clock: systemClock,
    handlers: {
      pkcs11: createPkcs11Handler({ modules: base.pkcs11Modules }),
      license: createLicenseHandler({
        modules: base.pkcs11Modules,
        licenseDirectory: base.licenseDirectory,
        clock: systemClock,
      }),
    },
  });
  await daemon.start();
  return {
    agentId: identity.agentId,
    reader,
    stop: async () => {
      await daemon.stop();
      await readers.close();
    },
  };
}
