import type { CrAlgorithm } from '../crypto/challenge-response';
import type { FieldRef } from './field-format';

/**
 * The abstract syntax of an `.apdu` script (docs/encoding-format.md, "APDU scripts").
 * Comments and blank lines are not kept; `line` is the 1-based source line.
 */
export interface StatusWordPattern {
  /** Four characters, hex digits or X for "any nibble" (e.g. 63CX). */
  text: string;
  value: number;
  mask: number;
}

interface LineCommon {
  line: number;
  /** Status words accepted besides 9000 (`accept(...)`, a cardfleet extension). */
  accept: StatusWordPattern[];
}

export type DataPart = { kind: 'field'; ref: FieldRef } | { kind: 'literal'; bytes: Uint8Array };

export interface RawLine extends LineCommon {
  kind: 'RAW';
  output: FieldRef | undefined;
  apdu: Uint8Array;
}

export interface DynLine extends LineCommon {
  kind: 'DYN';
  output: FieldRef | undefined;
  /** CLA INS P1 P2. */
  header: Uint8Array;
  data: DataPart[];
  /** Expected response length Ne (decimal in the script); 0 = none. */
  ne: number;
  /** How many `;` separators were written (0..2), so printing round-trips. */
  separators: number;
}

export interface PinLine extends LineCommon {
  kind: 'PIN';
  /** Set when the dialog asks for the current PIN as well (change PIN). */
  oldPin: FieldRef | undefined;
  newPin: FieldRef;
  /** Field whose value (UTF-8) names the PIN in the dialog. */
  descriptionField: string;
  /** Source of the validation rule; it must match the whole PIN. */
  regExp: string | undefined;
  /** Field receiving the transport PIN the operator types first (UTF-8, no format prefix). */
  transportPinField: string | undefined;
}

/**
 * Where a secret value is written in a source file: 1-based line and column, length in
 * characters. Redaction replaces exactly these spans (docs/security.md, Invariants 3).
 */
export interface SecretSpan {
  line: number;
  column: number;
  length: number;
}

export type CrKey = { kind: 'literal'; bytes: Uint8Array } | { kind: 'field'; ref: FieldRef };

export interface CrLine extends LineCommon {
  kind: 'CR';
  output: FieldRef;
  algorithm: CrAlgorithm;
  key: CrKey;
  input: FieldRef;
}

export type ScriptLine = RawLine | DynLine | PinLine | CrLine;

export interface ApduScript {
  file: string;
  lines: ScriptLine[];
}
