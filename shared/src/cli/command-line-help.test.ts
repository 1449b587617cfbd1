import { describe, expect, it } from 'vitest';
import { type ProgramSpec, parseCommandLine } from './command-line';
import { failure, full } from './command-line.test-support';

// The help texts the declared command line prints (both CLIs, docs/cloud.md and
// docs/edge-agent.md): every level, the column widths, help refused for what does not exist.
const PROGRAM_HELP = `usage: tool <command> [options]

a tool

commands:
  jobs run --agent ID      run a job
  jobs show <id>           show a job
  jobs wait <id> --office  wait
  atr <hex>                parse an ATR
  count                    count

options:
  --json               JSON
  -p, --profile VALUE  which profile
  -h, --help           show this help
  --version            print the tool version

exit codes: 0 ok
help for one command: tool help <command> (or <command> --help)
`;

const JOBS_HELP = `usage: tool jobs <command> [options]

commands:
  jobs run --agent ID      run a job
  jobs show <id>           show a job
  jobs wait <id> --office  wait

help for one command: tool help jobs <command>
`;

const JOBS_RUN_HELP = `usage: tool jobs run --agent ID [options]

run a job

Runs one job and waits.

options:
  -a, --agent ID       the agent (required)
  --timeout S          seconds (default 300)
  --format VALUE       format (one of csv, json)
  --follow             follow (default true)
  --json               JSON
  -p, --profile VALUE  which profile
  -h, --help           show this help
`;

const GLOBAL_OPTIONS = `options:
  --json               JSON
  -p, --profile VALUE  which profile
  -h, --help           show this help
`;

describe('help texts', () => {
  it('of the program list every command, the global options, --help and --version, and the footer', () => {
    expect(parseCommandLine(full, ['-h'])).toEqual({ kind: 'help', text: PROGRAM_HELP });
    expect(parseCommandLine(full, ['--help'])).toEqual({ kind: 'help', text: PROGRAM_HELP });
    expect(parseCommandLine(full, ['help'])).toEqual({ kind: 'help', text: PROGRAM_HELP });
  });

  it('of a group list only its commands', () => {
    expect(parseCommandLine(full, ['help', 'jobs'])).toEqual({ kind: 'help', text: JOBS_HELP });
    expect(parseCommandLine(full, ['jobs', '-h'])).toEqual({ kind: 'help', text: JOBS_HELP });
    expect(parseCommandLine(full, ['jobs', 'fly', '--help'])).toEqual({ kind: 'help', text: JOBS_HELP });
  });

  it('of a command give its synopsis, details and every option with its extras', () => {
    expect(parseCommandLine(full, ['help', 'jobs', 'run'])).toEqual({ kind: 'help', text: JOBS_RUN_HELP });
    expect(parseCommandLine(full, ['help', 'jobs', 'run', 'more'])).toEqual({
      kind: 'help',
      text: JOBS_RUN_HELP,
    });
    expect(parseCommandLine(full, ['jobs', 'run', '-h'])).toEqual({ kind: 'help', text: JOBS_RUN_HELP });
  });

  it('of a command without optional options shows no [options] in its usage line', () => {
    expect(parseCommandLine(full, ['help', 'atr'])).toEqual({
      kind: 'help',
      text: `usage: tool atr <hex>\n\nparse an ATR\n\n${GLOBAL_OPTIONS}`,
    });
    expect(parseCommandLine(full, ['jobs', 'show', '--help'])).toEqual({
      kind: 'help',
      text: `usage: tool jobs show <id>\n\nshow a job\n\n${GLOBAL_OPTIONS}`,
    });
    expect(parseCommandLine(full, ['jobs', 'wait', '-h'])).toEqual({
      kind: 'help',
      text: `usage: tool jobs wait <id> --office\n\nwait\n\noptions:\n  --office VALUE       the office (required)\n${GLOBAL_OPTIONS.slice('options:\n'.length)}`,
    });
  });

  it('cap the width of the command and option columns', () => {
    const wide: ProgramSpec = {
      name: 'w',
      version: '0',
      summary: 's',
      footer: 'f',
      globalOptions: { 'certificate-authority-file': { type: 'string', value: 'PATH', help: 'the CA' } },
      commands: [
        {
          path: 'certs issue',
          summary: 'issue',
          options: {
            'certificate-authority-name': { type: 'string', value: 'NAME', help: 'n', required: true },
          },
        },
        { path: 'ls', summary: 'list' },
      ],
    };
    const text = (parseCommandLine(wide, ['-h']) as { text: string }).text;
    expect(text).toContain(
      `commands:\n  certs issue --certificate-authority-name NAMEissue\n  ${'ls'.padEnd(44)}list\n`,
    );
    expect(text).toContain(
      `options:\n  --certificate-authority-file PATHthe CA\n  ${'-h, --help'.padEnd(30)}show this help\n`,
    );
  });

  it('refuse help for a command that does not exist, or a one-word command given two words', () => {
    expect(failure(['help', 'fly'])).toEqual({
      code: 'CLI_USAGE',
      message: 'no command fly',
      hint: 'see: tool --help',
    });
    expect(failure(['help', 'jobs', 'nope'])).toEqual({
      code: 'CLI_USAGE',
      message: 'no command jobs nope',
      hint: 'see: tool --help',
    });
    expect(failure(['help', 'atr', '3B'])).toEqual({
      code: 'CLI_USAGE',
      message: 'no command atr 3B',
      hint: 'see: tool --help',
    });
  });
});
