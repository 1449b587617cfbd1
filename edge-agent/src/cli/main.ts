import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';
import { cliFailure, type OptionValues, parseCommandLine, renderFailure } from '@cardfleet/shared/node';
import { AGENT_PROGRAM } from './agent-program';
// Only the commands that touch no card, token or broker are imported up front: the rest
// load their adapters (pcsclite, pkcs11js, mqtt) when run, so `validate`, `compile` and
// `atr` work on a machine where a native binding cannot load (docs/architecture.md,
// "Rooms and what may import what").
import { atrCommand } from './atr-command';
import { type CliIo, EXIT_OK } from './cli-io';
import { compileCommand } from './compile-command';
import { validateCommand } from './validate-command';

const DEFAULT_STATE_DIRECTORY = '/var/lib/cardfleet-agent';

/** The version `--version` prints: the package's. */
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const PROGRAM = { ...AGENT_PROGRAM, version: VERSION };

/**
 * Entry point of `cardfleet-agent`; returns the exit code (docs/edge-agent.md, "Command
 * line"). The command line is parsed and checked before anything is loaded or read.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(PROGRAM, argv);
    if (parsed.kind !== 'command') {
      io.stdout(parsed.text);
      return EXIT_OK;
    }
    return await runCommand(parsed.command.path, parsed.values, parsed.positionals, io);
  } catch (error) {
    // Every CardfleetError here is the input's (an encoding, a file, an option): a card
    // that refuses is a result with exit 1, not a throw (run-command.ts).
    const failure = cliFailure(error, () => true);
    io.stderr(renderFailure(failure, json));
    return failure.exit;
  }
}

async function runCommand(
  command: string,
  options: OptionValues,
  positionals: string[],
  io: CliIo,
): Promise<number> {
  const text = (name: string) => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  const values = {
    json: options.json === true,
    once: options.once === true,
    fields: text('fields'),
    secret: text('secret'),
    reader: text('reader'),
    card: text('card'),
    profile: text('profile'),
    vpcd: text('vpcd'),
    config: text('config'),
    api: text('api'),
    code: text('code'),
    id: text('id'),
    state: text('state'),
    module: text('module'),
    slot: text('slot'),
  };
  const target = positionals[0] ?? '';
  if (command === 'readers') {
    const { openReaders } = await import('./open-readers');
    const { readersCommand } = await import('./readers-command');
    const port = openReaders(values.card);
    try {
      return await readersCommand(port, values.json, io);
    } finally {
      await port.close();
    }
  }
  if (command === 'enrol') {
    const stateDirectory = values.state ?? process.env.CARDFLEET_AGENT_STATE ?? DEFAULT_STATE_DIRECTORY;
    const { enrolAgent } = await import('../daemon/agent-identity');
    const apiUrl = values.api ?? '';
    if (!/^https?:\/\/[^/\s]+/.test(apiUrl))
      throw new CardfleetError('CLI_USAGE', `--api needs an http(s) URL, not "${apiUrl}"`);
    const identity = await enrolAgent({
      apiUrl,
      fetch: reachable(apiUrl),
      ...(values.id ? { agentId: values.id } : {}),
      code: values.code ?? '',
      stateDirectory,
    });
    io.stdout(
      `enrolled ${identity.agentId} with ${identity.apiUrl}; ${identity.keys.size} cloud key(s) pinned; key in ${stateDirectory}/agent-key.pem (0600)\n`,
    );
    return 0;
  }
  if (command === 'start') {
    const configPath = values.config ?? '';
    const raw = readConfigJson(configPath);
    const { startAgent } = await import('../daemon/start-agent');
    const agent = await startAgent(configPath, raw, dirname(resolve(configPath)));
    io.stdout(
      `agent ${agent.agentId} running on reader "${agent.reader}" — stop with Ctrl-C\n` +
        // The token stays out of the log (journald): it is in the 0600 console.json.
        `operator console (PIN entry): ${agent.consoleUrl} — open it with the token from ${agent.consoleAccessFile}, or run cardfleet-agent prompt\n`,
    );
    await stopSignal();
    await agent.stop();
    return 0;
  }
  if (command === 'keys update') {
    const stateDirectory = stateDirectoryOf(values, 'keys update');
    const { loadAgentIdentity } = await import('../daemon/agent-identity');
    const { updatePinnedKeys } = await import('../daemon/key-set-update');
    const update = await updatePinnedKeys(stateDirectory, await loadAgentIdentity(stateDirectory));
    const changes = [
      update.added.length ? `added ${update.added.join(', ')}` : '',
      update.removed.length ? `removed ${update.removed.join(', ')}` : '',
    ].filter(Boolean);
    io.stdout(`pinned keys: ${update.pinned.join(', ')}${changes.length ? `; ${changes.join('; ')}` : ''}\n`);
    return 0;
  }
  if (command === 'prompt') {
    const stateDirectory = stateDirectoryOf(values, 'prompt');
    const { readConsoleAccess } = await import('../console/console-access');
    const { promptCommand } = await import('./prompt-command');
    const { terminalPrompter } = await import('./terminal-prompter');
    const prompter = terminalPrompter();
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    try {
      return await promptCommand(readConsoleAccess(stateDirectory), prompter, io, {
        once: values.once,
        signal: stop.signal,
      });
    } finally {
      prompter.close();
    }
  }
  if (command === 'tokens') {
    const { loadAgentConfig } = await import('../config/agent-config');
    const { tokensCommand } = await import('./tokens-command');
    const { closeTokenModules } = await import('../tokens/pkcs11js-module');
    const modules = values.module
      ? [values.module]
      : [...new Set(Object.values(loadAgentConfig(values.config).pkcs11Modules))];
    try {
      return tokensCommand(modules, values.json, io);
    } finally {
      closeTokenModules();
    }
  }
  if (command === 'license status') {
    const { loadAgentConfig } = await import('../config/agent-config');
    const { licenseStatusCommand } = await import('./tokens-command');
    const { closeTokenModules } = await import('../tokens/pkcs11js-module');
    const mapped = [...new Set(Object.values(loadAgentConfig(values.config).pkcs11Modules))];
    try {
      return licenseStatusCommand(
        values.module ?? (mapped.length === 1 ? mapped[0] : undefined),
        values.reader,
        values.slot,
        values.json,
        io,
      );
    } finally {
      closeTokenModules();
    }
  }
  if (command === 'virtual-card') {
    const { virtualCardCommand } = await import('./virtual-card-command');
    return await virtualCardCommand(values.profile ?? '', values.vpcd, io, stopSignal());
  }
  switch (command) {
    case 'validate':
      return validateCommand(target, values.json, io);
    case 'compile':
      return compileCommand(target, values.fields, values.secret?.split(',').map((s) => s.trim()) ?? [], io);
    case 'atr':
      return atrCommand(target, values.json, io);
    case 'run': {
      const reader = values.reader ?? (values.card ? 'Virtual Reader 0' : undefined);
      if (!reader)
        throw new CardfleetError('CLI_USAGE', 'run needs --reader NAME (see: cardfleet-agent readers)');
      const { openReaders } = await import('./open-readers');
      const { terminalPrompter } = await import('./terminal-prompter');
      const { loadAgentConfig } = await import('../config/agent-config');
      const { runCommand } = await import('./run-command');
      const { closeTokenModules } = await import('../tokens/pkcs11js-module');
      const port = openReaders(values.card);
      const prompter = terminalPrompter();
      try {
        const config = loadAgentConfig(values.config);
        const options = {
          path: target,
          reader,
          fieldsPath: values.fields,
          json: values.json,
          port,
          prompter,
          config,
        };
        return await runCommand(options, io);
      } finally {
        prompter.close();
        await port.close();
        closeTokenModules();
      }
    }
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command ${command}`);
  }
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** The agent's state directory from --state, or from --config (relative to the config file). */
function stateDirectoryOf(
  values: { state?: string | undefined; config?: string | undefined },
  command: string,
): string {
  if (values.state) return resolve(values.state);
  if (values.config) {
    const config = readConfigJson(values.config) as { stateDirectory?: unknown } | null;
    if (typeof config?.stateDirectory === 'string')
      return resolve(dirname(resolve(values.config)), config.stateDirectory);
  }
  throw new CardfleetError('CLI_USAGE', `${command} needs --config agent.json or --state DIR`);
}

/** The daemon's JSON configuration: a missing or malformed file is the user's input (exit 2). */
function readConfigJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CardfleetError('CONFIG_UNREADABLE', `${path}: not a readable JSON file`, { cause });
  }
}

/** fetch that names the service it could not reach (exit 3) instead of "fetch failed". */
function reachable(apiUrl: string): typeof fetch {
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (cause) {
      const inner = (cause as { cause?: { code?: unknown; message?: unknown } })?.cause;
      const reason = inner?.code ?? inner?.message;
      throw new CardfleetError(
        'API_UNREACHABLE',
        `cannot reach ${apiUrl}${typeof reason === 'string' ? ` (${reason})` : ''}`,
        { cause },
      );
    }
  };
}
