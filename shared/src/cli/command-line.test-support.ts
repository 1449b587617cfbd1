import { CardfleetError } from '../errors/cardfleet-error';
import { type ProgramSpec, parseCommandLine } from './command-line';

/** A program with every kind of option, group and argument (command-line tests). */
export const full: ProgramSpec = {
  name: 'tool',
  version: '1.2.3',
  summary: 'a tool',
  footer: 'exit codes: 0 ok',
  globalOptions: {
    json: { type: 'boolean', help: 'JSON', default: false },
    profile: { type: 'string', short: 'p', help: 'which profile' },
  },
  commands: [
    {
      path: 'jobs run',
      summary: 'run a job',
      details: 'Runs one job and waits.',
      options: {
        agent: { type: 'string', short: 'a', value: 'ID', help: 'the agent', required: true },
        timeout: { type: 'string', value: 'S', help: 'seconds', number: 'positive', default: '300' },
        format: { type: 'string', help: 'format', choices: ['csv', 'json'] },
        follow: { type: 'boolean', help: 'follow', default: true },
      },
    },
    { path: 'jobs show', args: '<id>', minArgs: 1, maxArgs: 2, summary: 'show a job' },
    {
      path: 'jobs wait',
      args: '<id>',
      minArgs: 1,
      summary: 'wait',
      options: { office: { type: 'string', help: 'the office', required: true } },
    },
    { path: 'atr', args: '<hex>', minArgs: 1, summary: 'parse an ATR' },
    {
      path: 'count',
      maxArgs: 1,
      summary: 'count',
      options: {
        every: { type: 'string', help: 'every', number: 'positive-integer' },
        skip: { type: 'string', help: 'skip', number: 'non-negative-integer' },
        ratio: { type: 'string', help: 'ratio', number: 'positive' },
      },
    },
  ],
};

/** What parsing `argv` with `full` throws (code, message, hint), or 'parsed'. */
export const failure = (argv: string[]) => {
  try {
    parseCommandLine(full, argv);
  } catch (error) {
    if (!(error instanceof CardfleetError)) return 'not a CardfleetError';
    return { code: error.code, message: error.message, hint: error.details?.hint };
  }
  return 'parsed';
};
