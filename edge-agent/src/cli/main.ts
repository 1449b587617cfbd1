import { parseArgs } from 'node:util';
import { CardfleetError } from '@cardfleet/shared';
import { atrCommand } from './atr-command';
import { type CliIo, EXIT_BAD_INPUT, problemLine } from './cli-io';
import { compileCommand } from './compile-command';
import { validateCommand } from './validate-command';

const USAGE = `usage: cardfleet-agent <command> [options]

commands:
  validate <encoding-or-bundle> [--json]             check an encoding (.ini), a bundle directory or .zip
  compile <script.apdu> [--fields f.json] [--secret A,B]
                                                     print the C-APDUs a script sends
  atr <hex> [--json]                                 parse an ATR and name the card
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
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const target = positionals[0];
    if (values.help || command === undefined || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? EXIT_BAD_INPUT : 0;
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
