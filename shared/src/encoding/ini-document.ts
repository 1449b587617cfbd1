import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';

/**
 * The INI-like layer of encoding descriptions (docs/encoding-format.md):
 *  - `[Section]` headers; keys before the first header are encoding-wide;
 *  - `key=value`; blanks around the key and the value are dropped, everything else
 *    in the value is kept verbatim (so `Location=#signature` and paths containing
 *    `PKCS#11` survive);
 *  - a line whose first non-blank character is `#` or `;` is a comment — a `#` or
 *    `;` anywhere else is part of the value;
 *  - blank lines are ignored.
 * Parsing never throws on input: each bad line is a positioned problem.
 */
export interface IniEntry {
  key: string;
  value: string;
  line: number;
  /** 1-based columns of the key and of the value's first character. */
  keyColumn: number;
  valueColumn: number;
}

export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

export interface IniDocument {
  file: string;
  global: IniEntry[];
  sections: IniSection[];
}

export function parseIni(text: string, file: string): { document: IniDocument; problems: CardfleetError[] } {
  const document: IniDocument = { file, global: [], sections: [] };
  const problems: CardfleetError[] = [];
  const problem = (code: ErrorCode, message: string, line: number, column: number) =>
    problems.push(new CardfleetError(code, message, { position: { file, line, column } }));
  let current: IniEntry[] = document.global;
  let currentKeys = new Map<string, number>();
  const seenSections = new Map<string, number>();

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      const name = close > 0 ? trimmed.slice(1, close).trim() : '';
      if (close < 0 || trimmed.slice(close + 1).trim() !== '' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
        problem(
          'INI_BAD_SECTION',
          'a section header is [Name] (letters, digits, _ . -) alone on its line',
          line,
          lead + 1,
        );
        current = [];
        currentKeys = new Map();
        return;
      }
      const earlier = seenSections.get(name);
      if (earlier !== undefined)
        problem(
          'INI_DUPLICATE_SECTION',
          `section [${name}] already started on line ${earlier}`,
          line,
          lead + 1,
        );
      seenSections.set(name, line);
      const section: IniSection = { name, line, entries: [] };
      if (earlier === undefined) document.sections.push(section);
      current = section.entries;
      currentKeys = new Map();
      return;
    }
    const eq = raw.indexOf('=');
    if (eq < 0) {
      problem(
        'INI_EXPECTED_KEY_VALUE',
        'expected key=value, a [Section], a comment or a blank line',
        line,
        lead + 1,
      );
      return;
    }
    const key = raw.slice(0, eq).trim();
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(key)) {
      problem('INI_BAD_KEY', `'${key}' is not a key name`, line, lead + 1);
      return;
    }
    const afterEq = raw.slice(eq + 1);
    const valueLead = afterEq.length - afterEq.trimStart().length;
    const value = afterEq.trim();
    const earlier = currentKeys.get(key);
    if (earlier !== undefined) {
      problem('INI_DUPLICATE_KEY', `${key} is already set on line ${earlier}`, line, lead + 1);
      return;
    }
    currentKeys.set(key, line);
    current.push({ key, value, line, keyColumn: lead + 1, valueColumn: eq + 2 + valueLead });
  });
  return { document, problems };
}

/** Canonical text: encoding-wide keys, then each section, one blank line apart. */
export function printIni(document: IniDocument): string {
  const block = (entries: IniEntry[]) => entries.map((e) => `${e.key}=${e.value}\n`).join('');
  const parts = [block(document.global), ...document.sections.map((s) => `[${s.name}]\n${block(s.entries)}`)];
  return parts.filter((p) => p !== '').join('\n');
}
