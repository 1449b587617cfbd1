import { pino } from 'pino';
import { type Logger, type LogLevel, recordLogger } from '../observability/logger';

/**
 * The Logger port over pino: one JSON line per record (level as a word, `time` in ISO
 * 8601, `name` of the process), on stdout unless a destination is given — journald
 * under systemd, CloudWatch Logs in Lambda. The port has already redacted the fields
 * (observability/log-fields.ts); pino only writes them.
 */
export function pinoLogger(options: {
  name: string;
  level?: LogLevel;
  /** Where the lines go (tests: a collector; default: stdout). */
  destination?: { write(line: string): unknown };
}): Logger {
  const base = pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      // Stryker disable next-line ObjectLiteral: pino writes `name` from its name option either way; any base drops pid and hostname
      base: { name: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors arrive already as { type, code, message, stack } (log-fields.ts).
      serializers: { err: (value: unknown) => value },
    },
    // process.stdout keeps the lines in order with anything else the process prints.
    options.destination ?? process.stdout,
  );
  return recordLogger(({ level, msg, ...fields }) => base[level](fields, msg));
}

/** The level from an environment variable's value (LOG_LEVEL), info when unset or unknown. */
export function logLevelOf(value: string | undefined): LogLevel {
  return value === 'debug' || value === 'warn' || value === 'error' ? value : 'info';
}
