import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  appendCapped,
  CardfleetError,
  compileApdu,
  type DynLine,
  type FieldValues,
  fileTooLarge,
  MAX_BUNDLE_BYTES,
  MAX_PARSED_FILE_BYTES,
  parseScript,
  printFieldRef,
  rawLengthWarnings,
  redactedApduHex,
  type ScriptLine,
  toHex,
} from '@cardfleet/shared';
import { readFieldsFile } from '@cardfleet/shared/node';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK, problemLine } from './cli-io';

/**
 * `compile <script.apdu> [--fields fields.json] [--secret A,B]`: the C-APDUs the
 * script would send, one per line. PIN and CR lines, and DYN lines that read a field
 * only known at run time (written by an earlier line), are shown symbolically; bytes
 * of secret fields (PINs, CR keys, --secret) are shown as `**`.
 */
export function compileCommand(
  path: string,
  fieldsPath: string | undefined,
  extraSecrets: string[],
  io: CliIo,
): number {
  const size = sizeOf(path);
  if (size > MAX_PARSED_FILE_BYTES) {
    io.stdout(problemLine(fileTooLarge(basename(path), size, MAX_BUNDLE_BYTES)));
    return EXIT_BAD_INPUT;
  }
  const text = readText(path);
  const parsed = parseScript(text, basename(path));
  const { script } = parsed;
  const problems: CardfleetError[] = [];
  appendCapped(problems, parsed.problems);
  const fields = fieldsPath ? readFieldsFile(fieldsPath) : {};
  if (problems.length > 0) {
    for (const problem of problems) io.stdout(problemLine(problem));
    return EXIT_BAD_INPUT;
  }
  for (const warning of rawLengthWarnings(script, text)) io.stderr(problemLine(warning, 'warning'));
  const secret = new Set(extraSecrets);
  const runtime = new Set<string>();
  for (const line of script.lines) {
    if (line.kind === 'PIN') for (const ref of [line.oldPin, line.newPin]) if (ref) secret.add(ref.name);
    if (line.kind === 'CR' && line.key.kind === 'field') secret.add(line.key.ref.name);
  }
  for (const line of script.lines) {
    io.stdout(`${render(line, fields, secret, runtime)}\n`);
    for (const ref of outputsOf(line)) runtime.add(ref);
  }
  return EXIT_OK;
}

function render(line: ScriptLine, fields: FieldValues, secret: Set<string>, runtime: Set<string>): string {
  switch (line.kind) {
    case 'RAW':
      return toHex(line.apdu);
    case 'DYN': {
      const unknown = line.data.filter((p) => p.kind === 'field' && runtime.has(p.ref.name));
      if (unknown.length > 0) return symbolicDyn(line, secret);
      return redactedApduHex(compileApdu(line, fields), (name) => secret.has(name));
    }
    case 'PIN': {
      const rule = line.regExp === undefined ? '' : `, rule ^(?:${line.regExp})$`;
      const transport = line.transportPinField ? `, transport PIN from ${line.transportPinField}` : '';
      const old = line.oldPin ? `${printFieldRef(line.oldPin)} + ` : '';
      return `PIN ${old}${printFieldRef(line.newPin)} (entered by the operator: ${line.descriptionField}${rule}${transport}; new PIN + confirmation)`;
    }
    case 'CR': {
      const key = line.key.kind === 'literal' ? '**' : line.key.ref.name;
      return `CR ${printFieldRef(line.output)} = ${line.algorithm}(key ${key}, ${printFieldRef(line.input)}) (computed locally, nothing sent)`;
    }
  }
}

function symbolicDyn(line: DynLine, secret: Set<string>): string {
  const data = line.data
    .map((p) =>
      p.kind === 'literal'
        ? toHex(p.bytes)
        : secret.has(p.ref.name)
          ? `{${p.ref.name}:**}`
          : `{${p.ref.name}}`,
    )
    .join(' ');
  const le = line.ne > 0 ? ` Le=${line.ne}` : '';
  return `${toHex(line.header)} Lc ${data}${le}`;
}

function outputsOf(line: ScriptLine): string[] {
  if (line.kind === 'PIN')
    return [line.oldPin?.name, line.newPin.name].filter((n): n is string => n !== undefined);
  return line.output ? [line.output.name] : [];
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (cause) {
    throw new CardfleetError('FILE_UNREADABLE', `${path}: cannot read the file`, { cause });
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CardfleetError('FILE_UNREADABLE', `${path}: cannot read the file`, { cause });
  }
}
