import { logFields } from './log-fields';

/**
 * The Logger port (docs/architecture.md, "Ports and their implementations"): core code
 * takes one and writes events with fields; adapters decide where the lines go (pino
 * JSON lines on stdout in shared/src/node/pino-logger.ts, nowhere in tests). Every
 * record passes `logFields`: values under a secret key are replaced and errors become
 * { code, message, stack } (docs/security.md, "No secret in logs").
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every record carries `bindings` (a job id, a request id). */
  child(bindings: LogFields): Logger;
}

/** One record as a sink receives it (already redacted). */
export interface LogRecord {
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

/** A Logger over any sink of records: adapters give the sink, the port does the redaction. */
export function recordLogger(sink: (record: LogRecord) => void, bindings: LogFields = {}): Logger {
  const write = (level: LogLevel) => (message: string, fields?: LogFields) =>
    sink({ ...logFields({ ...bindings, ...fields }), level, msg: message });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => recordLogger(sink, { ...bindings, ...more }),
  };
}

export const silentLogger: Logger = recordLogger(() => undefined);

/** Keeps the records in memory (tests read `records`). */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(
    recordLogger((record) => records.push(record)),
    { records },
  );
}
