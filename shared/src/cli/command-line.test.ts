import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { cliFailure, renderFailure } from './cli-failure';
import { type ProgramSpec, parseCommandLine } from './command-line';
import { failure, full } from './command-line.test-support';

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

describe('parsing a command line', () => {
  it('gives the command, every option with its default, and the arguments', () => {
    expect(parseCommandLine(full, ['jobs', 'run', '-a', 'a1', '-p', 'lab', '--format', 'csv'])).toEqual({
      kind: 'command',
      command: full.commands[0],
      values: { agent: 'a1', profile: 'lab', format: 'csv', timeout: '300', follow: true, json: false },
      positionals: [],
    });
    expect(parseCommandLine(full, ['jobs', 'show', 'j1', 'j2', '--json', '--profile=x'])).toEqual({
      kind: 'command',
      command: full.commands[1],
      values: { json: true, profile: 'x' },
      positionals: ['j1', 'j2'],
    });
  });

  it('sets only the options given or defaulted', () => {
    const parsed = parseCommandLine(full, ['jobs', 'run', '-a', 'a1']);
    expect(parsed.kind === 'command' && Object.keys(parsed.values).sort()).toEqual([
      'agent',
      'follow',
      'json',
      'timeout',
    ]);
  });

  it('reads everything after -- as arguments, even --help and --version', () => {
    expect(parseCommandLine(full, ['atr', '--', '--help'])).toMatchObject({
      kind: 'command',
      positionals: ['--help'],
    });
    expect(parseCommandLine(full, ['atr', '--', '-h'])).toMatchObject({
      kind: 'command',
      positionals: ['-h'],
    });
    expect(failure(['--', '--version'])).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown option --',
      hint: 'see: tool --help',
    });
  });

  it('takes the command words only before the first option', () => {
    expect(failure(['jobs', '--json', 'run'])).toEqual({
      code: 'CLI_USAGE',
      message: 'jobs needs a subcommand',
      hint: 'see: tool help jobs',
    });
    expect(parseCommandLine(full, ['atr', '3B-00'])).toMatchObject({ positionals: ['3B-00'] });
  });

  it('answers the version only without a command', () => {
    expect(parseCommandLine(full, ['--version'])).toEqual({ kind: 'version', text: 'tool 1.2.3\n' });
    expect(failure(['atr', '3B', '--version'])).toEqual({
      code: 'CLI_USAGE',
      message: "Unknown option '--version'",
      hint: 'see: tool atr --help',
    });
  });

  it('refuses a missing command, an unknown one and a bare group, each with where to look', () => {
    expect(failure([])).toEqual({
      code: 'CLI_USAGE',
      message: 'a command is needed',
      hint: 'see: tool --help',
    });
    expect(failure(['--json'])).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown option --json',
      hint: 'see: tool --help',
    });
    expect(failure(['jobs'])).toEqual({
      code: 'CLI_USAGE',
      message: 'jobs needs a subcommand',
      hint: 'see: tool help jobs',
    });
    expect(failure(['jobs', 'fly'])).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown command jobs fly',
      hint: 'see: tool --help',
    });
    expect(failure(['fly', 'x', 'y'])).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown command fly x',
      hint: 'see: tool --help',
    });
    expect(failure(['job'])).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown command job',
      hint: 'see: tool --help',
    });
    expect(failure(['run'])).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown command run',
      hint: 'see: tool --help',
    });
  });

  it('refuses too few and too many arguments, at each bound', () => {
    const see = 'see: tool jobs show --help';
    expect(failure(['jobs', 'show'])).toEqual({
      code: 'CLI_USAGE',
      message: 'jobs show needs <id>',
      hint: see,
    });
    expect(failure(['jobs', 'show', 'a'])).toBe('parsed');
    expect(failure(['jobs', 'show', 'a', 'b'])).toBe('parsed');
    expect(failure(['jobs', 'show', 'a', 'b', 'c'])).toEqual({
      code: 'CLI_USAGE',
      message: 'jobs show: unexpected argument c',
      hint: see,
    });
    expect(failure(['atr', 'a', 'b'])).toEqual({
      code: 'CLI_USAGE',
      message: 'atr: unexpected argument b',
      hint: 'see: tool atr --help',
    });
    expect(failure(['count'])).toBe('parsed');
    expect(failure(['count', 'x'])).toBe('parsed');
    expect(failure(['count', 'x', 'y'])).toEqual({
      code: 'CLI_USAGE',
      message: 'count: unexpected argument y',
      hint: 'see: tool count --help',
    });
    expect(failure(['jobs', 'run', '--agent', 'a', 'extra'])).toEqual({
      code: 'CLI_USAGE',
      message: 'jobs run: unexpected argument extra',
      hint: 'see: tool jobs run --help',
    });
  });

  it('names a missing required option with its placeholder, or alone without one', () => {
    expect(failure(['jobs', 'wait', 'j1'])).toEqual({
      code: 'CLI_USAGE',
      message: 'jobs wait needs --office',
      hint: 'see: tool jobs wait --help',
    });
    expect(failure(['jobs', 'wait', 'j1', '--office', 'o1'])).toBe('parsed');
  });

  it("passes on parseArgs' own refusals as usage errors, first line only", () => {
    expect(failure(['jobs', 'run', '--agent'])).toEqual({
      code: 'CLI_USAGE',
      message: "Option '-a, --agent <value>' argument missing",
      hint: 'see: tool jobs run --help',
    });
    expect(failure(['atr', '3B', '--json=yes'])).toEqual({
      code: 'CLI_USAGE',
      message: "Option '--json' does not take an argument",
      hint: 'see: tool atr --help',
    });
    expect(failure(['count', '--ratio', '-1'])).toEqual({
      code: 'CLI_USAGE',
      message: "Option '--ratio' argument is ambiguous.",
      hint: 'see: tool count --help',
    });
    expect(failure(['atr', '3B', '-x'])).toEqual({
      code: 'CLI_USAGE',
      message: "Unknown option '-x'",
      hint: 'see: tool atr --help',
    });
  });

  it('checks choices exactly', () => {
    expect(failure(['jobs', 'run', '-a', 'a', '--format', 'json'])).toBe('parsed');
    expect(failure(['jobs', 'run', '-a', 'a', '--format', 'JSON'])).toEqual({
      code: 'CLI_USAGE',
      message: '--format is one of csv, json, not "JSON"',
      hint: 'see: tool jobs run --help',
    });
  });

  it('checks numbers of each kind: digits with an optional fraction, in range, safe integers', () => {
    const verdict = (option: string, value: string) => {
      const result = failure(['count', `--${option}`, value]);
      return result === 'parsed' ? 'ok' : typeof result === 'string' ? result : result.message;
    };
    const cases: [string, string, string][] = [
      ['ratio', '1', 'ok'],
      ['ratio', '0.5', 'ok'],
      ['ratio', '12.25', 'ok'],
      ['ratio', '0', '--ratio needs a positive number, not "0"'],
      ['ratio', '0.0', '--ratio needs a positive number, not "0.0"'],
      ['ratio', '1.', '--ratio needs a positive number, not "1."'],
      ['ratio', '.5', '--ratio needs a positive number, not ".5"'],
      ['ratio', '1e3', '--ratio needs a positive number, not "1e3"'],
      ['ratio', ' 1', '--ratio needs a positive number, not " 1"'],
      ['ratio', '1 ', '--ratio needs a positive number, not "1 "'],
      ['ratio', 'x1', '--ratio needs a positive number, not "x1"'],
      ['ratio', '1x', '--ratio needs a positive number, not "1x"'],
      ['ratio', '+1', '--ratio needs a positive number, not "+1"'],
      ['ratio', '1.5.5', '--ratio needs a positive number, not "1.5.5"'],
      ['ratio', '', '--ratio needs a positive number, not ""'],
      ['ratio', '9'.repeat(400), `--ratio needs a positive number, not "${'9'.repeat(400)}"`],
      ['every', '1', 'ok'],
      ['every', '9007199254740991', 'ok'],
      ['every', '0', '--every needs a positive integer number, not "0"'],
      ['every', '1.5', '--every needs a positive integer number, not "1.5"'],
      ['every', '9007199254740992', '--every needs a positive integer number, not "9007199254740992"'],
      ['skip', '0', 'ok'],
      ['skip', '7', 'ok'],
      ['skip', '2.5', '--skip needs a non negative integer number, not "2.5"'],
      ['skip', '9007199254740992', '--skip needs a non negative integer number, not "9007199254740992"'],
    ];
    expect(cases.map(([option, value]) => [option, value, verdict(option, value)])).toEqual(cases);
  });
});

describe('a command with unnamed arguments', () => {
  it('asks for "arguments" when too few are given', () => {
    const sum: ProgramSpec = {
      name: 'calc',
      version: '1',
      summary: 'adds',
      footer: '',
      globalOptions: {},
      commands: [{ path: 'sum', minArgs: 2, maxArgs: 3, summary: 'adds numbers' }],
    };
    expect(() => parseCommandLine(sum, ['sum', '1'])).toThrow('sum needs arguments');
    expect(parseCommandLine(sum, ['sum', '1', '2', '3'])).toMatchObject({ positionals: ['1', '2', '3'] });
  });
});
