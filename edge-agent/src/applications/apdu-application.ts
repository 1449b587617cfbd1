import {
  APPLICATION_STATUS_WORDS,
  type ApduApplication,
  type ApduTrace,
  type ApplicationResult,
  CardfleetError,
  type CompiledApdu,
  type CrLine,
  compileApdu,
  computeCrResponse,
  decodeFieldValue,
  describeStatusWord,
  encodeFieldValue,
  formatResponseCodes,
  type PinLine,
  REDACTED,
  redactedApduHex,
  type ScriptLine,
  type StatusWordTable,
  statusWordMatches,
  toHex,
} from '@cardfleet/shared';
import { transmitApdu } from '../readers/apdu-exchange';
import { type ApplicationHandler, CardLostError } from '../runner/application-port';
import type { FieldStore } from '../runner/field-store';
import { collectPins } from '../runner/pin-collection';

/**
 * Runs one APDU application (docs/encoding-format.md §6.1, §7): asks its PIN lines
 * first, then sends every RAW/DYN line in order and computes CR lines locally. Stop
 * rule: the first final status word that is neither 9000 nor accepted by the line fails
 * the application, and nothing more of the script is sent. The card is never retried
 * (docs/edge-agent.md, "How a run goes").
 */
export const apduApplication: ApplicationHandler<ApduApplication> = async (app, context) => {
  const script = context.scripts.get(app.apduFile);
  if (!script) throw new CardfleetError('BUNDLE_MISSING_SCRIPT', `${app.apduFile} is not in the bundle`);
  const { fields, clock } = context;
  // Raw records while the script runs; formatted (hex, redaction, meanings) when it
  // ends, so the time between a response and the next command stays minimal.
  const sent: SentApdu[] = [];
  const written = new Set<string>();
  const statusWords: number[] = [];
  let statusWordTable: StatusWordTable | undefined;
  const total = apduLineCount(script.lines);
  context.progress(0, total);
  const finish = (failure?: ApplicationResult['failure']): ApplicationResult => {
    const responseCodes = formatResponseCodes(statusWords);
    if (app.responseCodesField) {
      fields.set(app.responseCodesField, responseCodes);
      written.add(app.responseCodesField);
    }
    const apdus = sent.map((record) => traceOf(record, fields));
    const outputs = Object.fromEntries(
      [...written].map((name) => [name, fields.isSecret(name) ? REDACTED : (fields.get(name) ?? '')]),
    );
    return {
      name: app.name,
      kind: 'apdu',
      status: failure ? 'FAILED' : 'SUCCEEDED',
      responseCodes,
      outputs,
      apdus,
      ...(failure ? { failure: { ...failure, message: fields.redact().text(failure.message) } } : {}),
    };
  };

  try {
    await collectPins(
      app.name,
      script.lines.filter((l): l is PinLine => l.kind === 'PIN'),
      fields,
      context.prompter,
    );
  } catch (error) {
    if (!(error instanceof CardfleetError)) throw error;
    return finish({ code: error.code, message: error.message, ...lineOf(error) });
  }

  for (const line of script.lines) {
    if (line.kind === 'PIN') continue;
    if (line.kind === 'CR') {
      try {
        runCrLine(line, fields);
        written.add(line.output.name);
      } catch (error) {
        if (!(error instanceof CardfleetError)) throw error;
        return finish({ code: error.code, message: `line ${line.line}: ${error.message}`, line: line.line });
      }
      continue;
    }
    let compiled: ReturnType<typeof compileApdu>;
    try {
      compiled = compileApdu(line, fields.snapshot());
    } catch (error) {
      if (!(error instanceof CardfleetError)) throw error;
      return finish({ code: error.code, message: `line ${line.line}: ${error.message}`, line: line.line });
    }
    const started = clock.monotonicMs();
    let outcome: Awaited<ReturnType<typeof transmitApdu>>;
    try {
      outcome = await transmitApdu(context.channel, compiled.bytes);
    } catch (error) {
      if (!(error instanceof CardfleetError)) throw error;
      // The card or reader is gone: this application and the job end here.
      throw new CardLostError(error.code, `line ${line.line}: ${error.message}`, {
        cause: error,
        details: { line: line.line },
      });
    }
    const durationMs = clock.monotonicMs() - started;
    const sw = outcome.sw;
    // After a successful SELECT by AID (ISO 7816-4 §11.2.2, P1 = 04) status words
    // mean what that application says (on the batch card 6985 = no more credit).
    if (sw === 0x9000 && compiled.bytes[1] === 0xa4 && compiled.bytes[2] === 0x04) {
      statusWordTable =
        APPLICATION_STATUS_WORDS[toHex(compiled.bytes.subarray(5, 5 + (compiled.bytes[4] ?? 0)))];
    }
    statusWords.push(sw);
    sent.push({
      line: line.line,
      compiled,
      sw,
      table: statusWordTable,
      responseLength: outcome.data.length,
      durationMs,
    });
    context.progress(sent.length, total);
    if (sw !== 0x9000 && !line.accept.some((p) => statusWordMatches(p, sw))) {
      const info = describeStatusWord(sw, statusWordTable);
      return finish({
        code: 'CARD_STATUS',
        message: `line ${line.line}: the card answered ${info.hex} (${info.meaning})`,
        line: line.line,
        sw: info.hex,
      });
    }
    if (line.output) {
      fields.set(line.output.name, encodeFieldValue(outcome.data, line.output.format));
      written.add(line.output.name);
    }
  }
  return finish();
};

interface SentApdu {
  line: number;
  compiled: CompiledApdu;
  sw: number;
  table: StatusWordTable | undefined;
  responseLength: number;
  durationMs: number;
}

function traceOf(record: SentApdu, fields: FieldStore): ApduTrace {
  const info = describeStatusWord(record.sw, record.table);
  return {
    line: record.line,
    command: redactedApduHex(record.compiled, (name) => fields.isSecret(name)),
    sw: info.hex,
    meaning: info.meaning,
    responseLength: record.responseLength,
    durationMs: record.durationMs,
  };
}

function runCrLine(line: CrLine, fields: FieldStore): void {
  if (line.key.kind === 'field' && !fields.get(line.key.ref.name)) {
    throw new CardfleetError(
      'CR_KEY_MISSING',
      `the key field ${line.key.ref.name} is empty (give it as a job field)`,
    );
  }
  const key =
    line.key.kind === 'literal'
      ? line.key.bytes
      : decodeFieldValue(fields.get(line.key.ref.name), line.key.ref);
  const input = decodeFieldValue(fields.get(line.input.name), line.input);
  const response = computeCrResponse(line.algorithm, key, input);
  fields.set(line.output.name, encodeFieldValue(response, line.output.format));
}

function lineOf(error: CardfleetError): { line?: number } {
  const line = error.details?.line;
  return typeof line === 'number' ? { line } : {};
}

/** The number of APDU lines of a script (for progress). */
function apduLineCount(lines: readonly ScriptLine[]): number {
  return lines.filter((l) => l.kind === 'RAW' || l.kind === 'DYN').length;
}
