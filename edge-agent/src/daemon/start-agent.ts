import { join, resolve } from 'node:path';
import { agentTopics, CardfleetError, type Logger, TOPIC_ROOT } from '@cardfleet/shared';
import { logLevelOf, pinoLogger } from '@cardfleet/shared/node';
import { z } from 'zod';
import { createLicenseHandler } from '../applications/license-application';
import { createPkcs11Handler } from '../applications/pkcs11-application';
import { agentConfigFrom } from '../config/agent-config';
import {
  consoleLink,
  newConsoleToken,
  removeConsoleAccess,
  writeConsoleAccess,
} from '../console/console-access';
import { startConsoleServer } from '../console/console-server';
import { PinRequests } from '../console/pin-requests';
import { InProcessReaders } from '../readers/in-process-readers';
import { PcscliteReaders } from '../readers/pcsclite-readers';
import type { ReaderPort } from '../readers/reader-port';
import { systemClock } from '../runner/clock';
import { loadCardProfile } from '../virtual-card/card-profile';
import { AgentDaemon } from './agent-daemon';
import { loadAgentIdentity } from './agent-identity';
import { brokerCredentialOf } from './broker-credential';
import { JobLedger } from './job-ledger';
import { updatePinnedKeys } from './key-set-update';
import { ResultOutbox } from './result-outbox';

/**
 * `cardfleet-agent start --config agent.json`: the daemon from its configuration:
 *   { "stateDirectory", "mqttUrl", "mqttCredential"?, "mqttPasswordFile"?, "topicRoot"?,
 *     "reader", "virtualCard"?, "dryRunCard"?, "pkcs11Modules"?, "licenseDirectory"?, "consolePort"?,
 *     "pinTimeoutSeconds"?, "resendAfterSeconds"?, "keySetRefreshMinutes"? }
 * The broker login (docs/messaging.md, "Broker identity"): `"mqttCredential": { "kind":
 * "token" }` signs a short-lived login with the enrolled key at every (re)connect (IoT
 * Core, the embedded Aedes); `{ "kind": "password-file", "file" }` — or the older
 * `"mqttPasswordFile"` — reads a password from its own file (0600, never the
 * configuration) for a Mosquitto with a password file. Neither: an open broker.
 * `virtualCard` puts an in-process virtual card in reader "Virtual Reader 0" instead
 * of using pcscd. `dryRunCard` (a card profile like examples/cards/cardos.json) is the
 * in-process card dry runs run on — a fresh one per dry run, never a reader (docs/security.md,
 * "Dry runs"); without it the agent refuses dry runs.
 */
const DaemonConfigSchema = z.looseObject({
  stateDirectory: z.string(),
  mqttUrl: z.string(),
  mqttCredential: z
    .discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('token'),
          authorizer: z
            .string()
            .regex(/^[\w=,@-]{1,128}$/)
            .optional(),
        })
        .strict(),
      z.object({ kind: z.literal('password-file'), file: z.string().min(1) }).strict(),
    ])
    .optional(),
  /** Same as `mqttCredential: { kind: "password-file", file }`. */
  mqttPasswordFile: z.string().optional(),
  /** The topic tree (default `cardfleet/agents`; in AWS the stage's `<app>/<stage>/agents`). */
  topicRoot: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/)
    .optional(),
  reader: z.string().optional(),
  virtualCard: z.string().optional(),
  dryRunCard: z.string().optional(),
  /** The operator console's loopback port (0 or absent: any free port; see console.json). */
  consolePort: z.number().int().min(0).max(65535).optional(),
  /** How long a PIN request waits for the operator before the job fails (PIN_TIMEOUT). */
  pinTimeoutSeconds: z.number().positive().max(3600).optional(),
  /** How often an unacknowledged result is published again (default 30). */
  resendAfterSeconds: z.number().positive().max(86_400).optional(),
  /** How often the daemon asks the cloud for a signed key-set update (default 360; 0: never). */
  keySetRefreshMinutes: z.number().min(0).max(10_080).optional(),
});

export async function startAgent(
  configPath: string,
  raw: unknown,
  baseDirectory = process.cwd(),
  /** The station's log (default: JSON lines on stdout at LOG_LEVEL, for journald). */
  logger: Logger = pinoLogger({ name: 'cardfleet-agent', level: logLevelOf(process.env.LOG_LEVEL) }),
) {
  const parsed = DaemonConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new CardfleetError('CONFIG_INVALID', `${configPath}: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const base = agentConfigFrom(raw, baseDirectory, configPath);
  // Paths in the configuration are relative to its own directory.
  const stateDirectory = resolve(baseDirectory, config.stateDirectory);
  const identity = await loadAgentIdentity(stateDirectory);
  // Key-set updates count only when signed by a pinned key (key-set-update.ts); a failed
  // check keeps the pins and is reported, the agent keeps working with what it trusts.
  const refreshKeys = () =>
    updatePinnedKeys(stateDirectory, identity).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? 'KEYSET_ERROR';
      logger.warn('key-set update not taken; the pinned keys stay', { code, err: error });
    });
  const refreshMinutes = config.keySetRefreshMinutes ?? 360;
  if (refreshMinutes > 0) await refreshKeys();
  const keyTimer = refreshMinutes > 0 ? setInterval(refreshKeys, refreshMinutes * 60_000) : undefined;
  keyTimer?.unref();
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
  // Read once here, so a bad profile stops the start rather than the first dry run.
  const dryRunProfile = config.dryRunCard && resolve(baseDirectory, config.dryRunCard);
  if (dryRunProfile) loadCardProfile(dryRunProfile);
  if (!reader)
    throw new CardfleetError('CONFIG_INVALID', `${configPath}: "reader" names the reader jobs run on`);
  // PIN lines are answered at the station: the operator console on loopback, or
  // `cardfleet-agent prompt`, which finds it through console.json.
  const pinRequests = new PinRequests({
    timeoutMs: (config.pinTimeoutSeconds ?? 120) * 1000,
    clock: systemClock,
  });
  const token = newConsoleToken();
  // The daemon is made below; the console serves its metrics once it exists.
  let daemon: AgentDaemon | undefined;
  // The open batch's last line for the console ("card 7 of 50 — insert the next card").
  let batchLine: string | undefined;
  const consoleServer = await startConsoleServer({
    batchStatus: () => batchLine,
    requests: pinRequests,
    token,
    metrics: async () => (daemon ? daemon.metrics.scrape() : ''),
    ...(config.consolePort === undefined ? {} : { port: config.consolePort }),
  });
  writeConsoleAccess(stateDirectory, { url: consoleServer.url, token });
  daemon = new AgentDaemon({
    agentId: identity.agentId,
    mqttUrl: config.mqttUrl,
    ...brokerOptions(config, baseDirectory),
    keys: identity.keys,
    privateKey: identity.privateKey,
    ledger: new JobLedger(join(stateDirectory, 'ledger.jsonl')),
    outbox: new ResultOutbox(join(stateDirectory, 'outbox'), systemClock),
    readers,
    defaultReader: reader,
    ...(dryRunProfile ? { dryRunCard: () => loadCardProfile(dryRunProfile) } : {}),
    prompter: (job) => pinRequests.prompter(job),
    onCancel: (jobId) => pinRequests.cancelJob(jobId),
    // The open batch survives a restart (docs/batches.md).
    batches: {
      statePath: join(stateDirectory, 'batch.json'),
      onStatus: (line) => {
        batchLine = line;
      },
    },
    logger,
    clock: systemClock,
    ...(config.resendAfterSeconds ? { resendAfterMs: config.resendAfterSeconds * 1000 } : {}),
    handlers: {
      pkcs11: createPkcs11Handler({ modules: base.pkcs11Modules }),
      license: createLicenseHandler({
        modules: base.pkcs11Modules,
        licenseDirectory: base.licenseDirectory,
      }),
    },
  });
  await daemon.start();
  return {
    agentId: identity.agentId,
    reader,
    /** Open in a browser on the station; carries the console token in its fragment. */
    consoleLink: consoleLink({ url: consoleServer.url, token }),
    consoleUrl: consoleServer.url,
    consoleAccessFile: join(stateDirectory, 'console.json'),
    /** Prometheus text on the console's loopback port. */
    metricsUrl: new URL('metrics', consoleServer.url).href,
    daemon,
    stop: async () => {
      clearInterval(keyTimer);
      pinRequests.close();
      await daemon.stop();
      removeConsoleAccess(stateDirectory);
      await consoleServer.close();
      await readers.close();
    },
  };
}

/** The daemon's broker login and topic tree from the configuration (paths relative to it). */
function brokerOptions(config: z.infer<typeof DaemonConfigSchema>, baseDirectory: string) {
  const credential = brokerCredentialOf(config, baseDirectory);
  return {
    topics: agentTopics(config.topicRoot ?? TOPIC_ROOT),
    ...(credential ? { mqttCredential: credential } : {}),
  };
}
