import { parseHexLenient } from '../bytes/hex';
import { CR_ALGORITHM_ALIASES, crKeyLengths } from '../crypto/challenge-response';
import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';
import { pinRuleProblem } from '../pin-rule/pin-rule';
import { FIELD_FORMATS, FIELD_NAME_PATTERN, type FieldFormat, type FieldRef } from './field-format';
import { closingParen, commentStart, REG_EXP_OPEN } from './line-scanner';
import type { ApduScript, CrKey, DataPart, ScriptLine, SecretSpan, StatusWordPattern } from './script-ast';
import { parseStatusWordPattern } from './status-word-pattern';

/**
 * Parser for `.apdu` scripts (docs/encoding-format.md, "APDU scripts"). It never
 * throws on bad input: every problem becomes a CardfleetError with file:line:col,
 * and parsing continues with the next line so one run reports all of them.
 */
export interface ScriptParseResult {
  script: ApduScript;
  problems: CardfleetError[];
  /** Every literal secret the grammar marks (the fixed key of a CR line), where it is written. */
  secrets: SecretSpan[];
}

export const MAX_SCRIPT_NE = 65536;

class LineProblem extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const HEADER = /^(\s*)(RAW|DYN|PIN|CR)\s*(?:\[([^\]]*)\])?\s*:/;
const ACCEPT = /\s+accept\(([^)]*)\)\s*$/;

export function parseScript(text: string, file: string): ScriptParseResult {
  const lines: ScriptLine[] = [];
  const problems: CardfleetError[] = [];
  const secrets: SecretSpan[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    try {
      const parsed = parseLine(raw, index + 1, secrets);
      if (parsed) lines.push(parsed);
    } catch (error) {
      if (!(error instanceof LineProblem)) throw error;
      problems.push(
        new CardfleetError(error.code, error.message, {
          position: { file, line: index + 1, column: error.offset + 1 },
        }),
      );
    }
  });
  return { script: { file, lines }, problems, secrets };
}

function parseLine(raw: string, line: number, secrets: SecretSpan[]): ScriptLine | undefined {
  let body = raw.slice(0, commentStart(raw)).trimEnd();
  if (body.trim() === '') return undefined;
  const accept = parseAccept(body);
  if (accept) body = body.slice(0, accept.start);
  const header = HEADER.exec(body);
  if (!header) {
    const offset = body.length - body.trimStart().length;
    throw new LineProblem('SCRIPT_UNKNOWN_LINE', 'expected a RAW, DYN, PIN or CR line', offset);
  }
  const kind = header[2] as ScriptLine['kind'];
  const outputsText = header[3];
  const outputsOffset = header[0].indexOf('[') + 1;
  const restOffset = header[0].length;
  const rest = body.slice(restOffset);
  const common = { line, accept: accept?.patterns ?? [] };
  const outputs = outputsText === undefined ? [] : parseOutputs(outputsText, outputsOffset);

  switch (kind) {
    case 'RAW': {
      const output = singleOptionalOutput(outputs, outputsOffset, kind);
      const apdu = parseHexAt(rest, restOffset, 'APDU');
      if (apdu.length < 4)
        throw new LineProblem('SCRIPT_APDU_TOO_SHORT', 'an APDU needs CLA INS P1 P2', restOffset);
      return { kind, ...common, output, apdu };
    }
    case 'DYN':
      return {
        kind,
        ...common,
        output: singleOptionalOutput(outputs, outputsOffset, kind),
        ...parseDyn(rest, restOffset),
      };
    case 'PIN':
      return { kind, ...common, ...parsePin(outputs, outputsOffset, rest, restOffset) };
    case 'CR': {
      if (outputs.length !== 1) {
        throw new LineProblem(
          'SCRIPT_CR_OUTPUT',
          'a CR line writes exactly one output field: CR[FIELD]:…',
          outputsOffset,
        );
      }
      const { keySpan, ...cr } = parseCr(rest, restOffset);
      if (keySpan) secrets.push({ line, ...keySpan });
      return { kind, ...common, output: outputs[0] as FieldRef, ...cr };
    }
  }
}

function parseAccept(body: string): { start: number; patterns: StatusWordPattern[] } | undefined {
  const match = ACCEPT.exec(body);
  if (!match) return undefined;
  const listOffset = match.index + match[0].indexOf('(') + 1;
  const patterns = (match[1] ?? '').split(',').map((item, i, all) => {
    const at = listOffset + all.slice(0, i).reduce((n, s) => n + s.length + 1, 0);
    const pattern = parseStatusWordPattern(item.trim());
    if (!pattern) {
      throw new LineProblem('SCRIPT_BAD_SW', `'${item.trim()}' is not a status word like 6A82 or 63CX`, at);
    }
    return pattern;
  });
  return { start: match.index, patterns };
}

function parseOutputs(text: string, offset: number): FieldRef[] {
  if (text.trim() === '') return [];
  let at = offset;
  return text.split(',').map((part) => {
    const ref = parseFieldRef(part, at);
    at += part.length + 1;
    return ref;
  });
}

function singleOptionalOutput(outputs: FieldRef[], offset: number, kind: string): FieldRef | undefined {
  if (outputs.length > 1)
    throw new LineProblem('SCRIPT_TOO_MANY_OUTPUTS', `a ${kind} line has one output field`, offset);
  return outputs[0];
}

export function parseFieldRef(text: string, offset: number): FieldRef {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  // Stryker disable next-line Regex: (.*) reaches both ends of a one-line text, anchored or not
  const match = /^(?:<([^>]*)>)?(.*)$/.exec(trimmed);
  // Stryker disable next-line OptionalChaining: the pattern matches every text
  const formatText = match?.[1];
  // Stryker disable next-line OptionalChaining: the pattern matches every text
  const name = match?.[2] ?? '';
  if (formatText !== undefined && !(FIELD_FORMATS as readonly string[]).includes(formatText)) {
    throw new LineProblem(
      'SCRIPT_BAD_FORMAT',
      `unknown format <${formatText}>: use <hex>, <string> or <base64>`,
      offset + lead,
    );
  }
  if (!FIELD_NAME_PATTERN.test(name)) {
    const at = offset + lead + (formatText === undefined ? 0 : formatText.length + 2);
    throw new LineProblem('SCRIPT_BAD_FIELD', `'${name}' is not a field name (letters, digits, _)`, at);
  }
  return { name, format: (formatText ?? 'hex') as FieldFormat, explicitFormat: formatText !== undefined };
}

function parseHexAt(text: string, offset: number, what: string): Uint8Array {
  const result = parseHexLenient(text);
  if (result instanceof Uint8Array) return result;
  throw new LineProblem('SCRIPT_BAD_HEX', `${what}: ${result.message}`, offset + result.offset);
}

function parseDyn(rest: string, offset: number) {
  const parts = rest.split(';');
  if (parts.length > 3) {
    // Stryker disable next-line OptionalChaining: there are more than three parts here
    const at = offset + (parts[0]?.length ?? 0) + (parts[1]?.length ?? 0) + (parts[2]?.length ?? 0) + 2;
    throw new LineProblem('SCRIPT_DYN_PARTS', 'a DYN line is HEADER;DATA;LE — too many ";"', at);
  }
  const [headerText = '', dataText = '', neText = ''] = parts;
  const header = parseHexAt(headerText, offset, 'header');
  if (header.length !== 4) {
    throw new LineProblem(
      'SCRIPT_DYN_HEADER',
      `a DYN header is CLA INS P1 P2 (4 bytes), got ${header.length}`,
      offset,
    );
  }
  const dataOffset = offset + headerText.length + 1;
  const data: DataPart[] = [];
  if (dataText.trim() !== '') {
    let at = dataOffset;
    for (const part of dataText.split('+')) {
      const lead = part.length - part.trimStart().length;
      const trimmed = part.trim();
      if (/^0x/i.test(trimmed)) {
        const bytes = parseHexAt(trimmed.slice(2), at + lead + 2, 'literal');
        if (bytes.length === 0)
          throw new LineProblem('SCRIPT_EMPTY_LITERAL', '0x needs hex digits', at + lead);
        data.push({ kind: 'literal', bytes });
      } else {
        data.push({ kind: 'field', ref: parseFieldRef(part, at) });
      }
      at += part.length + 1;
    }
  }
  const neOffset = dataOffset + dataText.length + 1;
  const neTrimmed = neText.trim();
  let ne = 0;
  if (neTrimmed !== '') {
    if (!/^\d+$/.test(neTrimmed) || Number(neTrimmed) > MAX_SCRIPT_NE) {
      throw new LineProblem(
        'SCRIPT_BAD_LE',
        `expected length must be a decimal number 0..${MAX_SCRIPT_NE}`,
        neOffset,
      );
    }
    ne = Number(neTrimmed);
  }
  return { header, data, ne, separators: parts.length - 1 };
}

function parsePin(outputs: FieldRef[], outputsOffset: number, rest: string, offset: number) {
  if (outputs.length < 1 || outputs.length > 2) {
    throw new LineProblem(
      'SCRIPT_PIN_OUTPUT',
      'a PIN line writes [NEW_PIN] or [OLD_PIN,NEW_PIN]',
      outputsOffset,
    );
  }
  const oldPin = outputs.length === 2 ? outputs[0] : undefined;
  const newPin = outputs[outputs.length - 1] as FieldRef;
  const firstSemi = rest.indexOf(';');
  const descriptionText = firstSemi < 0 ? rest : rest.slice(0, firstSemi);
  const description = parseFieldRef(descriptionText, offset);
  if (description.explicitFormat) {
    throw new LineProblem(
      'SCRIPT_PIN_DESCRIPTION',
      'the description field is always read as a UTF-8 string',
      offset,
    );
  }
  let regExp: string | undefined;
  let transportPinField: string | undefined;
  if (firstSemi >= 0) {
    // Second slot: empty or reg_exp(…); third slot: the transport PIN field.
    let at = firstSemi + 1;
    at += rest.slice(at).length - rest.slice(at).trimStart().length;
    if (rest.startsWith(REG_EXP_OPEN, at)) {
      const open = at + REG_EXP_OPEN.length - 1;
      const end = closingParen(rest, open);
      // Stryker disable next-line EqualityOperator: closingParen gives -1 or an index after a character, never 0
      if (end < 0) throw new LineProblem('SCRIPT_PIN_REGEXP', 'reg_exp( is not closed', offset + open);
      regExp = rest.slice(open + 1, end - 1);
      const reason = pinRuleProblem(regExp);
      if (reason !== undefined) {
        throw new LineProblem(
          'SCRIPT_PIN_REGEXP',
          `invalid regular expression: ${reason}`,
          offset + open + 1,
        );
      }
      at = end;
    }
    const tail = rest.slice(at);
    if (tail.trim() !== '') {
      const semi = tail.indexOf(';');
      if (semi < 0 || tail.slice(0, semi).trim() !== '') {
        throw new LineProblem(
          'SCRIPT_PIN_SYNTAX',
          'a PIN line is DESCRIPTION;reg_exp(…);TRANSPORT_PIN_FIELD',
          offset + at,
        );
      }
      const transportText = tail.slice(semi + 1);
      const transportOffset = offset + at + semi + 1;
      if (transportText.trim() !== '') {
        const ref = parseFieldRef(transportText, transportOffset);
        if (ref.explicitFormat) {
          throw new LineProblem(
            'SCRIPT_PIN_TRANSPORT',
            'the transport PIN field is always read as a UTF-8 string',
            transportOffset,
          );
        }
        // Seed: "TRANSPORT_PIN_FIELD must be empty if OLD_PIN is set" — the old PIN
        // already plays the transport PIN's part in a change-PIN dialog.
        if (oldPin) {
          throw new LineProblem(
            'SCRIPT_PIN_SYNTAX',
            'the transport PIN slot must be empty when OLD_PIN is set',
            transportOffset,
          );
        }
        transportPinField = ref.name;
      }
    }
  }
  return { oldPin, newPin, descriptionField: description.name, regExp, transportPinField };
}

function parseCr(rest: string, offset: number) {
  const parts = rest.split(';');
  if (parts.length !== 3) {
    throw new LineProblem('SCRIPT_CR_PARTS', 'a CR line is ALGORITHM;KEY;INPUT_FIELD', offset);
  }
  const [algText = '', keyText = '', inputText = ''] = parts;
  const algorithm = CR_ALGORITHM_ALIASES[algText.trim().toUpperCase()];
  if (!algorithm) {
    const names = Object.keys(CR_ALGORITHM_ALIASES).join(', ');
    throw new LineProblem(
      'SCRIPT_CR_ALGORITHM',
      `unknown algorithm '${algText.trim()}': use one of ${names}`,
      offset,
    );
  }
  const keyOffset = offset + algText.length + 1;
  const keyTrimmed = keyText.trim();
  const keyLead = keyText.length - keyText.trimStart().length;
  let key: CrKey;
  let keySpan: { column: number; length: number } | undefined;
  if (/^0x/i.test(keyTrimmed)) {
    // The whole written key, prefix and blanks included: no spelling of it may survive.
    keySpan = { column: keyOffset + keyLead + 1, length: keyTrimmed.length };
    const bytes = parseHexAt(keyTrimmed.slice(2), keyOffset + keyLead + 2, 'key');
    if (!crKeyLengths(algorithm).includes(bytes.length)) {
      const allowed = crKeyLengths(algorithm).join(' or ');
      throw new LineProblem(
        'CR_BAD_KEY_LENGTH',
        `${algorithm} needs a ${allowed}-byte key, got ${bytes.length}`,
        keyOffset + keyLead,
      );
    }
    key = { kind: 'literal', bytes };
  } else {
    key = { kind: 'field', ref: parseFieldRef(keyText, keyOffset) };
  }
  const input = parseFieldRef(inputText, keyOffset + keyText.length + 1);
  return { algorithm, key, input, keySpan };
}
