import { parseArgs } from 'node:util';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * The command layer of both CLIs (docs/cloud.md and docs/edge-agent.md, "Command line"):
 * a declared command tree over node:util parseArgs. Declared, so every command has its
 * help and every option is checked before a command runs; parsed before the environment
 * is read, so help and usage errors never need CARDFLEET_API_URL. node:util, not a
 * library: it is all either CLI needs, adds nothing to start-up time (every call is a
 * new process) and no dependency to the agent's package.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in help, e.g. `N` for `--timeout N`. */
  value?: string;
  help: string;
  /** A string value that must be a number of this kind. */
  number?: 'positive' | 'positive-integer' | 'non-negative-integer';
  choices?: readonly string[];
  default?: string | boolean;
  required?: boolean;
}

export interface CommandSpec {
  /** The command words, e.g. `jobs run`. */
  path: string;
  /** Positionals as help shows them, e.g. `<id> <from> <to>`. */
  args?: string;
  minArgs?: number;
  maxArgs?: number;
  summary: string;
  details?: string;
  options?: Record<string, OptionSpec>;
}

export interface ProgramSpec {
  name: string;
  version: string;
  summary: string;
  commands: readonly CommandSpec[];
  /** Options every command takes (besides --help). */
  globalOptions: Record<string, OptionSpec>;
  footer: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export type ParsedCommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string }
  | { kind: 'command'; command: CommandSpec; values: OptionValues; positionals: string[] };

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

/** A usage error: exit 2, with where to look next. */
export function usageError(message: string, hint: string): CardfleetError {
  return new CardfleetError('CLI_USAGE', message, { details: { hint } });
}

export function parseCommandLine(program: ProgramSpec, argv: readonly string[]): ParsedCommandLine {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const wantsHelp = flags.includes('--help') || flags.includes('-h');
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  const seeHelp = `see: ${program.name} --help`;
  if (words[0] === 'help') return { kind: 'help', text: helpFor(program, words.slice(1), seeHelp) };
  if (words.length === 0) {
    if (wantsHelp) return { kind: 'help', text: programHelp(program) };
    if (flags.includes('--version')) return { kind: 'version', text: `${program.name} ${program.version}\n` };
    throw usageError(argv.length ? `unknown option ${argv[0]}` : 'a command is needed', seeHelp);
  }
  const command = matchCommand(program, words);
  if (!command) {
    const group = words[0] ?? '';
    if (isGroup(program, group) && (wantsHelp || words.length === 1))
      if (wantsHelp) return { kind: 'help', text: groupHelp(program, group) };
      else throw usageError(`${group} needs a subcommand`, `see: ${program.name} help ${group}`);
    throw usageError(`unknown command ${words.slice(0, 2).join(' ')}`, seeHelp);
  }
  if (wantsHelp) return { kind: 'help', text: commandHelp(program, command) };
  const rest = argv.slice(command.path.split(' ').length);
  const see = `see: ${program.name} ${command.path} --help`;
  const options = { ...program.globalOptions, ...command.options };
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          {
            type: o.type,
            ...(o.short ? { short: o.short } : {}),
            ...(o.default === undefined ? {} : { default: o.default }),
          },
        ]),
      ) as Parameters<typeof parseArgs>[0] extends infer A
        ? A extends { options?: infer O }
          ? NonNullable<O>
          : never
        : never,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw usageError(message.replace(/\. To specify a positional argument.*$/, ''), see);
  }
  checkArguments(command, options, parsed, see);
  return { kind: 'command', command, ...parsed };
}

function checkArguments(
  command: CommandSpec,
  options: Record<string, OptionSpec>,
  parsed: { values: OptionValues; positionals: string[] },
  see: string,
): void {
  const count = parsed.positionals.length;
  const min = command.minArgs ?? 0;
  const max = command.maxArgs ?? min;
  if (count < min) throw usageError(`${command.path} needs ${command.args ?? 'arguments'}`, see);
  if (count > max) throw usageError(`${command.path}: unexpected argument ${parsed.positionals[max]}`, see);
  for (const [name, spec] of Object.entries(options)) {
    const value = parsed.values[name];
    if (value === undefined) {
      if (spec.required) throw usageError(`${command.path} needs --${name} ${spec.value ?? ''}`.trim(), see);
      continue;
    }
    if (typeof value !== 'string') continue;
    if (spec.choices && !spec.choices.includes(value))
      throw usageError(`--${name} is one of ${spec.choices.join(', ')}, not "${value}"`, see);
    if (spec.number && !isNumberOfKind(value, spec.number))
      throw usageError(`--${name} needs a ${spec.number.replaceAll('-', ' ')} number, not "${value}"`, see);
  }
}

function isNumberOfKind(text: string, kind: NonNullable<OptionSpec['number']>): boolean {
  if (!/^\d+(\.\d+)?$/.test(text)) return false;
  const n = Number(text);
  if (!Number.isFinite(n)) return false;
  if (kind === 'positive') return n > 0;
  return Number.isSafeInteger(n) && (kind === 'non-negative-integer' || n > 0);
}

function matchCommand(program: ProgramSpec, words: string[]): CommandSpec | undefined {
  const two = words.slice(0, 2).join(' ');
  return program.commands.find((c) => c.path === two) ?? program.commands.find((c) => c.path === words[0]);
}

function isGroup(program: ProgramSpec, word: string): boolean {
  return program.commands.some((c) => c.path.startsWith(`${word} `));
}

function helpFor(program: ProgramSpec, words: string[], seeHelp: string): string {
  if (words.length === 0) return programHelp(program);
  const command = matchCommand(program, words);
  if (command && command.path.split(' ').length === Math.min(words.length, 2))
    return commandHelp(program, command);
  if (words.length === 1 && isGroup(program, words[0] ?? '')) return groupHelp(program, words[0] ?? '');
  throw usageError(`no command ${words.join(' ')}`, seeHelp);
}

function synopsis(command: CommandSpec): string {
  const required = Object.entries(command.options ?? {})
    .filter(([, o]) => o.required)
    .map(([name, o]) => `--${name} ${o.value ?? ''}`.trim());
  return [command.path, command.args, ...required].filter(Boolean).join(' ');
}

function commandList(commands: readonly CommandSpec[]): string {
  const width = Math.min(44, Math.max(...commands.map((c) => synopsis(c).length)) + 2);
  return commands.map((c) => `  ${synopsis(c).padEnd(width)}${c.summary}`).join('\n');
}

function programHelp(program: ProgramSpec): string {
  return `usage: ${program.name} <command> [options]

${program.summary}

commands:
${commandList(program.commands)}

options:
${optionList({ ...program.globalOptions, help: HELP, version: { type: 'boolean', help: `print the ${program.name} version` } })}

${program.footer}
help for one command: ${program.name} help <command> (or <command> --help)
`;
}

function groupHelp(program: ProgramSpec, group: string): string {
  const commands = program.commands.filter((c) => c.path.startsWith(`${group} `));
  return `usage: ${program.name} ${group} <command> [options]

commands:
${commandList(commands)}

help for one command: ${program.name} help ${group} <command>
`;
}

function commandHelp(program: ProgramSpec, command: CommandSpec): string {
  const options = { ...command.options, ...program.globalOptions, help: HELP };
  return `usage: ${program.name} ${synopsis(command)}${Object.values(command.options ?? {}).some((o) => !o.required) ? ' [options]' : ''}

${command.summary}${command.details ? `\n\n${command.details}` : ''}

options:
${optionList(options)}
`;
}

function optionList(options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const extra = [
      o.required ? 'required' : '',
      o.choices ? `one of ${o.choices.join(', ')}` : '',
      o.default !== undefined && o.default !== false ? `default ${String(o.default)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return [flag, `${o.help}${extra ? ` (${extra})` : ''}`] as const;
  });
  const width = Math.min(30, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`).join('\n');
}
