import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { cliFailure, renderFailure } from './cli-failure';
import { type ProgramSpec, parseCommandLine } from './command-line';

const program: ProgramSpec = {
  name: 'tool',
  version: '1.2.3',
  summary: 'a tool',
  footer: 'exit codes: ...',
  globalOptions: { json: { type: 'boolean', help: 'JSON', default: false } },
  commands: [
    {
      path: 'jobs run',
      summary: 'run a job',
      options: {
        agent: { type: 'string', value: 'ID', help: 'the agent', required: true },
        timeout: { type: 'string', value: 'S', help: 'seconds', number: 'positive', default: '300' },
        format: { type: 'string', help: 'format', choices: ['csv', 'json'] },
      },
    },
    { path: 'jobs show', args: '<id>', minArgs: 1, summary: 'show a job' },
    { path: 'atr', args: '<hex>', minArgs: 1, summary: 'parse an ATR' },
  ],
};

const usage = (argv: string[]) => {
  try {
    parseCommandLine(program, argv);
  } catch (error) {
    return error instanceof CardfleetError ? `${error.code}: ${error.message}` : 'not a CardfleetError';
  }
  return 'parsed';
};

describe('the declared command line', () => {
  it('parses a command, its options with defaults, and its arguments', () => {
    expect(parseCommandLine(program, ['jobs', 'run', '--agent', 'a1', '--json'])).toMatchObject({
      kind: 'command',
      command: { path: 'jobs run' },
      values: { agent: 'a1', timeout: '300', json: true },
      positionals: [],
    });
    expect(parseCommandLine(program, ['atr', '3B00'])).toMatchObject({ positionals: ['3B00'] });
  });

  it('answers help at every level and the version', () => {
    expect(parseCommandLine(program, ['-h'])).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('jobs show <id>'),
    });
    expect(parseCommandLine(program, ['help', 'jobs'])).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('usage: tool jobs <command>'),
    });
    expect(parseCommandLine(program, ['jobs', '--help'])).toMatchObject({ kind: 'help' });
    expect(parseCommandLine(program, ['jobs', 'run', '--timeout', 'abc', '--help'])).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('usage: tool jobs run --agent ID [options]'),
    });
    expect(parseCommandLine(program, ['--version'])).toEqual({ kind: 'version', text: 'tool 1.2.3\n' });
  });

  it('refuses what the declaration does not allow, as a usage error', () => {
    expect(usage(['jobs', 'run'])).toBe('CLI_USAGE: jobs run needs --agent ID');
    expect(usage(['jobs', 'run', '--agent', 'a', '--timeout', 'abc'])).toBe(
      'CLI_USAGE: --timeout needs a positive number, not "abc"',
    );
    expect(usage(['jobs', 'run', '--agent', 'a', '--timeout', '0'])).toContain('needs a positive number');
    expect(usage(['jobs', 'run', '--agent', 'a', '--format', 'xml'])).toBe(
      'CLI_USAGE: --format is one of csv, json, not "xml"',
    );
    expect(usage(['jobs', 'run', '--agent', 'a', '--nope'])).toBe("CLI_USAGE: Unknown option '--nope'");
    expect(usage(['jobs', 'show'])).toBe('CLI_USAGE: jobs show needs <id>');
    expect(usage(['jobs', 'show', 'a', 'b'])).toBe('CLI_USAGE: jobs show: unexpected argument b');
    expect(usage(['jobs'])).toBe('CLI_USAGE: jobs needs a subcommand');
    expect(usage(['fly'])).toBe('CLI_USAGE: unknown command fly');
    expect(usage(['help', 'fly'])).toBe('CLI_USAGE: no command fly');
    expect(usage([])).toBe('CLI_USAGE: a command is needed');
  });
});

describe('a CLI failure', () => {
  const asInput = () => false;

  it('maps usage, refusal and unreachable services to exit 2 and 3, a failed job to 1', () => {
    expect(cliFailure(new CardfleetError('CLI_USAGE', 'x'), asInput).exit).toBe(2);
    expect(cliFailure(new CardfleetError('API_UNREACHABLE', 'x'), asInput).exit).toBe(3);
    expect(cliFailure(new CardfleetError('KEYSET_UNREACHABLE', 'x'), () => true).exit).toBe(3);
    expect(
      cliFailure(new CardfleetError('FORBIDDEN', 'x', { details: { httpStatus: 403 } }), asInput).exit,
    ).toBe(3);
    expect(
      cliFailure(new CardfleetError('NOT_FOUND', 'x', { details: { httpStatus: 404 } }), asInput).exit,
    ).toBe(2);
    expect(cliFailure(new CardfleetError('WAIT_TIMEOUT', 'x'), asInput).exit).toBe(1);
  });

  it('names Node errors without their stack: a refused socket is 3, a missing file 2', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(cliFailure(refused, asInput)).toEqual({
      exit: 3,
      code: 'API_UNREACHABLE',
      message: 'cannot reach the service (ECONNREFUSED)',
    });
    const missing = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/x.json' });
    expect(cliFailure(missing, asInput)).toEqual({
      exit: 2,
      code: 'FILE_UNREADABLE',
      message: 'cannot read /x.json (ENOENT)',
    });
    expect(renderFailure(cliFailure(new Error('boom'), asInput), false)).toBe('boom [INTERNAL]\n');
    expect(JSON.parse(renderFailure(cliFailure(new Error('boom'), asInput), true))).toEqual({
      error: { code: 'INTERNAL', message: 'boom', exit: 1 },
    });
  });
});
