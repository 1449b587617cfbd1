import { unzipSync } from 'fflate';
import { rawLengthWarnings } from '../apdu-script/raw-length-check';
import type { ApduScript } from '../apdu-script/script-ast';
import { parseScript } from '../apdu-script/script-parser';
import type { EncodingDescription } from '../encoding/encoding-model';
import { parseEncoding } from '../encoding/encoding-parser';
import { CardfleetError } from '../errors/cardfleet-error';
import { appendCapped, fileTooLarge } from './problem-list';

/**
 * A bundle is an encoding description plus the `.apdu` scripts it names, travelling
 * together (the APDU seed: scripts "have to be bundled" with the encoding). Its files
 * are flat: exactly one `*.ini` (the encoding) and any number of `*.apdu`.
 */
export interface BundleFile {
  name: string;
  bytes: Uint8Array;
}

export interface Bundle {
  files: BundleFile[];
}

export interface ValidatedBundle {
  encoding: EncodingDescription;
  encodingFile: BundleFile;
  /** Parsed scripts by file name (only the ones an application names). */
  scripts: ReadonlyMap<string, ApduScript>;
  /** Encoding secret fields plus the script fields that carry PINs or keys. */
  secretFields: string[];
}

export interface BundleValidation {
  bundle: ValidatedBundle | undefined;
  problems: CardfleetError[];
  warnings: CardfleetError[];
}

// The bundle is base64 inside the claims, which are base64url inside the JWS: 64 KiB of
// files stays under IoT Core's 128 KB message limit with room for fields and secrets.
export const MAX_BUNDLE_BYTES = 64 * 1024;
/**
 * Files up to this size are parsed even in an oversized bundle (their problems are worth
 * listing while the person trims the bundle); larger ones get one size error.
 */
export const MAX_PARSED_FILE_BYTES = 4 * MAX_BUNDLE_BYTES;

export function readZipBundle(bytes: Uint8Array, name = 'bundle.zip'): Bundle {
  let entries: Record<string, Uint8Array>;
  try {
    // Entries far over the limit are not inflated (a small zip can expand to gigabytes);
    // they are refused by their declared size.
    entries = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.originalSize <= MAX_PARSED_FILE_BYTES) return true;
        throw new CardfleetError(
          'BUNDLE_TOO_LARGE',
          `${name}: ${entry.name} expands to ${entry.originalSize} bytes; a bundle may hold at most ${MAX_BUNDLE_BYTES}`,
          { position: { file: entry.name, line: 1, column: 1 } },
        );
      },
    });
  } catch (cause) {
    if (cause instanceof CardfleetError) throw cause;
    throw new CardfleetError('BUNDLE_BAD_ZIP', `${name} is not a readable zip archive`, { cause });
  }
  const files: BundleFile[] = [];
  for (const [path, content] of Object.entries(entries)) {
    if (path.endsWith('/')) continue; // directory entry
    const base = path.split('/').pop() ?? path;
    if (files.some((f) => f.name === base)) {
      throw new CardfleetError('BUNDLE_DUPLICATE_FILE', `${name} holds two files named ${base}`);
    }
    files.push({ name: base, bytes: content });
  }
  return { files };
}

export function validateBundle(bundle: Bundle): BundleValidation {
  const problems: CardfleetError[] = [];
  const warnings: CardfleetError[] = [];
  const total = bundle.files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > MAX_BUNDLE_BYTES) {
    problems.push(
      new CardfleetError(
        'BUNDLE_TOO_LARGE',
        `the bundle holds ${total} bytes; the limit is ${MAX_BUNDLE_BYTES} (it travels inside one MQTT message)`,
      ),
    );
    // A bundle over the limit can never be sent; files far over it are not parsed at all.
    const huge = bundle.files.filter((f) => f.bytes.length > MAX_PARSED_FILE_BYTES);
    if (huge.length > 0) {
      for (const f of huge) problems.push(fileTooLarge(f.name, f.bytes.length, MAX_BUNDLE_BYTES));
      return { bundle: undefined, problems, warnings };
    }
  }
  const encodings = bundle.files.filter((f) => f.name.toLowerCase().endsWith('.ini'));
  if (encodings.length !== 1) {
    const names = encodings.map((f) => f.name).join(', ');
    problems.push(
      new CardfleetError(
        encodings.length === 0 ? 'BUNDLE_NO_ENCODING' : 'BUNDLE_SEVERAL_ENCODINGS',
        encodings.length === 0
          ? 'the bundle has no encoding description (*.ini)'
          : `the bundle has several encoding descriptions: ${names}`,
      ),
    );
    return { bundle: undefined, problems, warnings };
  }
  for (const file of bundle.files) {
    const lower = file.name.toLowerCase();
    if (!lower.endsWith('.ini') && !lower.endsWith('.apdu')) {
      warnings.push(
        new CardfleetError(
          'BUNDLE_EXTRA_FILE',
          `${file.name} is neither the encoding nor an .apdu script and is ignored`,
        ),
      );
    }
  }
  const encodingFile = encodings[0] as BundleFile;
  const encodingText = decodeUtf8(encodingFile, problems);
  if (encodingText === undefined) return { bundle: undefined, problems, warnings };
  const parsed = parseEncoding(encodingText, encodingFile.name);
  appendCapped(problems, parsed.problems);
  appendCapped(warnings, parsed.warnings);
  if (!parsed.encoding) return { bundle: undefined, problems, warnings };

  const scripts = new Map<string, ApduScript>();
  const secretFields = new Set(parsed.encoding.secretFields);
  for (const app of parsed.encoding.applications) {
    if (app.kind !== 'apdu' || scripts.has(app.apduFile)) continue;
    const file = bundle.files.find((f) => f.name === app.apduFile);
    if (!file) {
      const setting = app.settings.ApduFile;
      problems.push(
        new CardfleetError(
          'BUNDLE_MISSING_SCRIPT',
          `[${app.name}] names ${app.apduFile}, which is not in the bundle (encoding would fail)`,
          {
            position: {
              file: encodingFile.name,
              line: setting?.line ?? app.line,
              column: setting?.column ?? 1,
            },
          },
        ),
      );
      continue;
    }
    const text = decodeUtf8(file, problems);
    if (text === undefined) continue;
    const { script, problems: scriptProblems } = parseScript(text, file.name);
    appendCapped(problems, scriptProblems);
    appendCapped(warnings, rawLengthWarnings(script, text));
    scripts.set(file.name, script);
    for (const line of script.lines) {
      // PINs and challenge/response keys are secret wherever they flow next.
      if (line.kind === 'PIN') {
        secretFields.add(line.newPin.name);
        if (line.oldPin) secretFields.add(line.oldPin.name);
        if (line.transportPinField) secretFields.add(line.transportPinField);
      }
      if (line.kind === 'CR' && line.key.kind === 'field') secretFields.add(line.key.ref.name);
    }
  }
  problems.push(...serialFieldProblems(parsed.encoding, scripts, secretFields, encodingFile.name));
  if (problems.length > 0) return { bundle: undefined, problems, warnings };
  return {
    bundle: { encoding: parsed.encoding, encodingFile, scripts, secretFields: [...secretFields].sort() },
    problems,
    warnings,
  };
}

/**
 * CardSerialField (defined by cardfleet, docs/encoding-format.md) names the field a
 * script line reads the card serial into: it must be the output of a RAW or DYN line,
 * and it is filed in the clear (the per-card index), so it may not be secret.
 */
function serialFieldProblems(
  encoding: EncodingDescription,
  scripts: ReadonlyMap<string, ApduScript>,
  secretFields: ReadonlySet<string>,
  file: string,
): CardfleetError[] {
  const setting = encoding.settings.CardSerialField;
  if (setting?.value.kind !== 'literal') return [];
  const name = setting.value.text;
  const position = { file, line: setting.line, column: setting.column };
  if (secretFields.has(name))
    return [
      new CardfleetError('ENCODING_SERIAL_FIELD', `CardSerialField ${name} is a secret field`, { position }),
    ];
  const written = [...scripts.values()].some((script) =>
    script.lines.some((line) => (line.kind === 'RAW' || line.kind === 'DYN') && line.output?.name === name),
  );
  return written
    ? []
    : [
        new CardfleetError(
          'ENCODING_SERIAL_FIELD',
          `CardSerialField ${name} is not the output of a RAW or DYN line in the bundle's scripts`,
          { position },
        ),
      ];
}

function decodeUtf8(file: BundleFile, problems: CardfleetError[]): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch (cause) {
    problems.push(
      new CardfleetError('BUNDLE_NOT_UTF8', `${file.name} is not UTF-8 text`, {
        cause,
        position: { file: file.name, line: 1, column: 1 },
      }),
    );
    return undefined;
  }
}
