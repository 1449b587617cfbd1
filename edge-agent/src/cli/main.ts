import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CardfleetError } from '@cardfleet/shared';
// Only the commands that touch no card, token or broker are imported up front: the rest
// load their adapters (pcsclite, pkcs11js, mqtt) when run, so `validate`, `compile` and
// `atr` work on a machine where a native binding cannot load (docs/architecture.md,
// "Rooms and what may import what").
import { atrCommand } from './atr-command';
import { type CliIo, EXIT_BAD_INPUT, problemLine } from './cli-io';
import { compileCommand } from './compile-command';
import { validateCommand } from './validate-command';

const DEFAULT_STATE_DIRECTORY = '/var/lib/cardfleet-agent';

const USAGE = `usage: cardfleet-agent <command> [options]

commands:
  validate <encoding-or-bundle> [--json]             check an encoding (.ini), a bundle directory or .zip
  compile <script.apdu> [--fields f.json] [--secret A,B]
                                                     print the C-APDUs a script sends
  atr <hex> [--json]                                 parse an ATR and name the card
  readers [--json] [--card p.json]                   list readers, cards, ATRs and card names
  run <encoding-or-bundle> --reader NAME [--fields f.json] [--json] [--card p.json]
                                                     run an encoding on the card in a reader
  virtual-card --profile p.json [--vpcd HOST:PORT]   attach a virtual card to vpcd until stopped
  enrol --api URL --code CODE [--state DIR] [--id AGENT_ID]
                                                     generate the agent key, register it, pin the cloud keys
                                                     (state: $CARDFLEET_AGENT_STATE or /var/lib/cardfleet-agent)
  start --config agent.json                          run the agent daemon (jobs over MQTT) and its
                                                     operator console (PIN entry, loopback only)
  keys update (--config agent.json | --state DIR)     take the cloud's signed key-set update (only
                                                     when signed by a key already pinned)
  prompt (--config agent.json | --state DIR) [--once]
                                                     answer the running daemon's PIN requests here
  tokens [--module PATH] [--json]                    PKCS#11 module info, slots and tokens
  license status (--reader NAME | --slot ID) [--module PATH] [--json]
                                                     the card's license status

--config agent.json maps encoding DLL names to local PKCS#11 modules ("pkcs11Modules")
and sets where generated licenses wait ("licenseDirectory"); run needs it for PKCS#11
and License applications.

--card p.json uses an in-process virtual card instead of pcscd (reader "Virtual Reader 0").
exit codes: 0 success, 1 the card refused or failed, 2 bad input
`;

/** Entry point of `cardfleet-agent`; returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        fields: { type: 'string' },
        secret: { type: 'string' },
        reader: { type: 'string' },
        card: { type: 'string' },
        profile: { type: 'string' },
        vpcd: { type: 'string' },
        config: { type: 'string' },
        api: { type: 'string' },
        code: { type: 'string' },
        id: { type: 'string' },
        state: { type: 'string' },
        module: { type: 'string' },
        slot: { type: 'string' },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const target = positionals[0];
    if (values.help || command === undefined || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? EXIT_BAD_INPUT : 0;
    }
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
      if (!values.api || !values.code)
        throw new CardfleetError('CLI_USAGE', `enrol needs --api URL --code CODE\n${USAGE}`);
      const stateDirectory = values.state ?? process.env.CARDFLEET_AGENT_STATE ?? DEFAULT_STATE_DIRECTORY;
      const { enrolAgent } = await import('../daemon/agent-identity');
      const identity = await enrolAgent({
        apiUrl: values.api,
        ...(values.id ? { agentId: values.id } : {}),
        code: values.code,
        stateDirectory,
      });
      io.stdout(
        `enrolled ${identity.agentId} with ${identity.apiUrl}; ${identity.keys.size} cloud key(s) pinned; key in ${stateDirectory}/agent-key.pem (0600)\n`,
      );
      return 0;
    }
    if (command === 'start') {
      if (!values.config) throw new CardfleetError('CLI_USAGE', `start needs --config agent.json\n${USAGE}`);
      const { startAgent } = await import('../daemon/start-agent');
      const agent = await startAgent(
        values.config,
        JSON.parse(readFileSync(values.config, 'utf8')),
        dirname(resolve(values.config)),
      );
      io.stdout(
        `agent ${agent.agentId} running on reader "${agent.reader}" — stop with Ctrl-C\n` +
          // The token stays out of the log (journald): it is in the 0600 console.json.
          `operator console (PIN entry): ${agent.consoleUrl} — open it with the token from ${agent.consoleAccessFile}, or run cardfleet-agent prompt\n`,
      );
      await stopSignal();
      await agent.stop();
      return 0;
    }
    if (command === 'keys') {
      if (target !== 'update') throw new CardfleetError('CLI_USAGE', `keys takes "update"\n${USAGE}`);
      const stateDirectory = stateDirectoryOf(values, 'keys update');
      const { loadAgentIdentity } = await import('../daemon/agent-identity');
      const { updatePinnedKeys } = await import('../daemon/key-set-update');
      const update = await updatePinnedKeys(stateDirectory, await loadAgentIdentity(stateDirectory));
      const changes = [
        update.added.length ? `added ${update.added.join(', ')}` : '',
        update.removed.length ? `removed ${update.removed.join(', ')}` : '',
      ].filter(Boolean);
      io.stdout(
        `pinned keys: ${update.pinned.join(', ')}${changes.length ? `; ${changes.join('; ')}` : ''}\n`,
      );
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
    if (command === 'license') {
      if (target !== 'status') throw new CardfleetError('CLI_USAGE', `license takes "status"\n${USAGE}`);
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
      if (!values.profile) throw new CardfleetError('CLI_USAGE', `virtual-card needs --profile\n${USAGE}`);
      const { virtualCardCommand } = await import('./virtual-card-command');
      return await virtualCardCommand(values.profile, values.vpcd, io, stopSignal());
    }
    if (target === undefined || positionals.length > 1)
      throw new CardfleetError('CLI_USAGE', `${command} takes exactly one argument\n${USAGE}`);
    switch (command) {
      case 'validate':
        return validateCommand(target, values.json, io);
      case 'compile':
        return compileCommand(
          target,
          values.fields,
          values.secret?.split(',').map((s) => s.trim()) ?? [],
          io,
        );
      case 'atr':
        return atrCommand(target, values.json, io);
      case 'run': {
        const reader = values.reader ?? (values.card ? 'Virtual Reader 0' : undefined);
        if (!reader)
          throw new CardfleetError(
            'CLI_USAGE',
            `run needs --reader NAME (see: cardfleet-agent readers)\n${USAGE}`,
          );
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
        throw new CardfleetError('CLI_USAGE', `unknown command ${command}\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof CardfleetError) {
      io.stderr(problemLine(error));
      return EXIT_BAD_INPUT;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${error.message}\n${USAGE}`);
      return EXIT_BAD_INPUT;
    }
    throw error;
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
    const config = JSON.parse(readFileSync(values.config, 'utf8')) as { stateDirectory?: unknown };
    if (typeof config.stateDirectory === 'string')
      return resolve(dirname(resolve(values.config)), config.stateDirectory);
  }
  throw new CardfleetError('CLI_USAGE', `${command} needs --config agent.json or --state DIR\n${USAGE}`);
}
