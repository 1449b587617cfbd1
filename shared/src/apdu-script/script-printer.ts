import { toHex } from '../bytes/hex';
import { printFieldRef } from './field-format';
import type { ApduScript, DataPart, ScriptLine } from './script-ast';

/**
 * Canonical text of a script: one command per line, no comments. parse∘print is the
 * identity on the syntax tree (apart from line numbers), which the property tests check.
 * This prints the admin's own file, secrets included; traces use redaction instead.
 */
export function printScript(script: ApduScript): string {
  return `${script.lines.map(printScriptLine).join('\n')}\n`;
}

export function printScriptLine(line: ScriptLine): string {
  const accept = line.accept.length > 0 ? ` accept(${line.accept.map((p) => p.text).join(',')})` : '';
  return printBody(line) + accept;
}

function printBody(line: ScriptLine): string {
  switch (line.kind) {
    case 'RAW':
      return `RAW${outputs(line.output ? [printFieldRef(line.output)] : [])}:${toHex(line.apdu)}`;
    case 'DYN': {
      let text = `DYN${outputs(line.output ? [printFieldRef(line.output)] : [])}:${toHex(line.header)}`;
      if (line.separators >= 1) text += `;${line.data.map(printDataPart).join('+')}`;
      if (line.separators >= 2) text += `;${line.ne === 0 ? '' : String(line.ne)}`;
      return text;
    }
    case 'PIN': {
      const outs = [...(line.oldPin ? [line.oldPin] : []), line.newPin].map(printFieldRef);
      const slots = [line.descriptionField];
      if (line.regExp !== undefined || line.transportPinField !== undefined) {
        slots.push(line.regExp === undefined ? '' : `reg_exp(${line.regExp})`);
      }
      if (line.transportPinField !== undefined) slots.push(line.transportPinField);
      return `PIN${outputs(outs)}:${slots.join(';')}`;
    }
    case 'CR': {
      const key = line.key.kind === 'literal' ? `0x${toHex(line.key.bytes)}` : printFieldRef(line.key.ref);
      return `CR${outputs([printFieldRef(line.output)])}:${line.algorithm};${key};${printFieldRef(line.input)}`;
    }
  }
}

function outputs(refs: string[]): string {
  return refs.length === 0 ? '' : `[${refs.join(',')}]`;
}

function printDataPart(part: DataPart): string {
  return part.kind === 'literal' ? `0x${toHex(part.bytes)}` : printFieldRef(part.ref);
}
