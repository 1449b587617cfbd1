import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';
import { APPLICATION_KIND_KEYS, ENCODING_KEYS, type KeyScope } from './encoding-keys';
import {
  type Application,
  type EncodingDescription,
  FIELD_REFERENCE,
  type Setting,
  settingText,
} from './encoding-model';
import { type IniEntry, parseIni } from './ini-document';
import { checkPkcs11Settings } from './pkcs11-setting-checks';
import { PROMPT_VALUE } from './prompt-keys';
import { checkSettingValue, moduleCommentOffset } from './setting-value-check';

/**
 * Encoding description → validated model (docs/encoding-format.md). Collects every
 * problem (errors) and every deprecation (warnings) with file:line:col; returns no
 * model when there is any error.
 */
export interface EncodingParseResult {
  encoding: EncodingDescription | undefined;
  problems: CardfleetError[];
  warnings: CardfleetError[];
}

type Kind = Application['kind'];

export function parseEncoding(text: string, file: string): EncodingParseResult {
  const { document, problems } = parseIni(text, file);
  const warnings: CardfleetError[] = [];
  const at = (line: number, column: number) => ({ position: { file, line, column } });
  const error = (code: ErrorCode, message: string, line: number, column: number) =>
    problems.push(new CardfleetError(code, message, at(line, column)));

  const readSettings = (entries: IniEntry[], scope: KeyScope, where: string): Record<string, Setting> => {
    const settings: Record<string, Setting> = {};
    for (const entry of entries) {
      const spec = ENCODING_KEYS[entry.key];
      if (!spec) {
        error('ENCODING_UNKNOWN_KEY', `unknown key ${entry.key} in ${where}`, entry.line, entry.keyColumn);
        continue;
      }
      if (!spec.scopes.includes(scope)) {
        error(
          'ENCODING_KEY_MISPLACED',
          `${entry.key} does not belong in ${where}`,
          entry.line,
          entry.keyColumn,
        );
        continue;
      }
      if (spec.replacedBy) {
        warnings.push(
          new CardfleetError(
            'ENCODING_DEPRECATED_KEY',
            `${entry.key} is deprecated: use ${spec.replacedBy}`,
            at(entry.line, entry.keyColumn),
          ),
        );
        if (entries.some((e) => e.key === spec.replacedBy)) {
          error(
            'ENCODING_KEY_TWICE',
            `${entry.key} and ${spec.replacedBy} are the same setting: keep ${spec.replacedBy}`,
            entry.line,
            entry.keyColumn,
          );
          continue;
        }
      }
      const key = spec.replacedBy ?? entry.key;
      if (entry.value === PROMPT_VALUE) {
        if (!spec.promptable || scope !== 'pkcs11') {
          error(
            'ENCODING_BAD_VALUE',
            `${entry.key}: ${PROMPT_VALUE} is for the PIN and PUK keys of PKCS#11 applications`,
            entry.line,
            entry.valueColumn,
          );
          continue;
        }
        const position = { line: entry.line, column: entry.valueColumn };
        settings[key] = { key, value: { kind: 'prompt' }, secret: true, ...position };
        continue;
      }
      const reference = FIELD_REFERENCE.exec(entry.value);
      if (reference) {
        if (!spec.fieldReference) {
          error(
            'ENCODING_NO_FIELD_REFERENCE',
            `${entry.key} takes a fixed value, not a field reference`,
            entry.line,
            entry.valueColumn,
          );
          continue;
        }
        settings[key] = {
          key,
          value: { kind: 'field', name: reference[1] as string },
          secret: spec.secret,
          line: entry.line,
          column: entry.valueColumn,
        };
        continue;
      }
      if (entry.value.includes('${')) {
        error(
          'ENCODING_BAD_FIELD_REFERENCE',
          'a field reference is the whole value: ${FIELD_NAME}',
          entry.line,
          entry.valueColumn + entry.value.indexOf('${'),
        );
        continue;
      }
      // The message names the key, never the value: the value may be a secret.
      const complaint = checkSettingValue(spec.type, entry.value);
      if (complaint) {
        const offset = spec.type.kind === 'module' ? moduleCommentOffset(entry.value) : 0;
        error('ENCODING_BAD_VALUE', `${entry.key}: ${complaint}`, entry.line, entry.valueColumn + offset);
        continue;
      }
      settings[key] = {
        key,
        value: { kind: 'literal', text: entry.value },
        secret: spec.secret,
        line: entry.line,
        column: entry.valueColumn,
      };
    }
    return settings;
  };

  const settings = readSettings(document.global, 'encoding', 'the encoding-wide keys');
  const list = document.global.find((e) => e.key === 'ApplicationList');
  const applications: Application[] = [];
  if (!list) {
    error(
      'ENCODING_NO_APPLICATION_LIST',
      'ApplicationList= is missing (it names the applications in order)',
      1,
      1,
    );
  }
  const listed = new Set<string>();
  if (list && settings.ApplicationList) {
    let column = list.valueColumn;
    for (const part of list.value.split(',')) {
      const name = part.trim();
      const nameColumn = column + (part.length - part.trimStart().length);
      column += part.length + 1;
      if (listed.has(name)) {
        error('ENCODING_APPLICATION_TWICE', `${name} is listed twice`, list.line, nameColumn);
        continue;
      }
      listed.add(name);
      const section = document.sections.find((s) => s.name === name);
      if (!section) {
        error(
          'ENCODING_MISSING_APPLICATION',
          `ApplicationList names [${name}] but there is no such section`,
          list.line,
          nameColumn,
        );
        continue;
      }
      const kinds = (Object.keys(APPLICATION_KIND_KEYS) as Kind[]).filter((kind) =>
        section.entries.some((e) => APPLICATION_KIND_KEYS[kind].includes(e.key)),
      );
      if (kinds.length !== 1) {
        error(
          'ENCODING_APPLICATION_KIND',
          kinds.length === 0
            ? `[${name}] does nothing: give it an ApduFile, a LicenseAction or a PKCS#11 step`
            : `[${name}] mixes ${kinds.join(' and ')} steps: use one application per kind`,
          section.line,
          1,
        );
        continue;
      }
      const kind = kinds[0] as Kind;
      const appSettings = readSettings(section.entries, kind, `an ${kind} application`);
      // A library key with a bad value has its own problem; "needs PKCS11Library" would be noise.
      const namesLibrary = section.entries.some((e) => e.key.startsWith('PKCS11Library'));
      applications.push(buildApplication(kind, name, section.line, appSettings, namesLibrary, error));
    }
  }
  for (const section of document.sections) {
    if (!listed.has(section.name)) {
      warnings.push(
        new CardfleetError(
          'ENCODING_UNLISTED_SECTION',
          `[${section.name}] is not in ApplicationList and never runs`,
          at(section.line, 1),
        ),
      );
    }
  }

  const secretFields = new Set(
    (settingText(settings.SecretFields) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const app of applications) {
    for (const setting of Object.values(app.settings)) {
      if (setting.secret && setting.value.kind === 'field') secretFields.add(setting.value.name);
    }
  }
  problems.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
  const encoding =
    problems.length === 0
      ? { file, settings, applications, secretFields: [...secretFields].sort() }
      : undefined;
  return { encoding, problems, warnings };
}

function buildApplication(
  kind: Kind,
  name: string,
  line: number,
  settings: Record<string, Setting>,
  namesLibrary: boolean,
  error: (code: ErrorCode, message: string, line: number, column: number) => void,
): Application {
  if (kind === 'apdu') {
    return {
      kind,
      name,
      line,
      settings,
      apduFile: settingText(settings.ApduFile) ?? '',
      responseCodesField: settingText(settings.ApduResponseCodesField),
    };
  }
  if (!namesLibrary) {
    error('ENCODING_NO_LIBRARY', `[${name}] needs PKCS11Library (or PKCS11LibraryWindows32/64)`, line, 1);
  }
  if (
    settingText(settings.InitToken)?.match(/^(true|1)$/i) &&
    settingText(settings.SetPin)?.match(/^(true|1)$/i)
  ) {
    error(
      'ENCODING_INIT_AND_SET_PIN',
      'InitToken and SetPin exclude each other (cards with a signature slot use SetPin)',
      settings.SetPin?.line ?? line,
      1,
    );
  }
  if (kind === 'pkcs11') checkPkcs11Settings(name, settings, error);
  return { kind, name, line, settings };
}
