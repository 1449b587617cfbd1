import type { ErrorCode } from './error-catalogue';

/**
 * The one error type every cardfleet layer throws. `code` is stable (tests, API
 * bodies and result records key on it); `message` is for people; `cause` keeps the
 * underlying error. Messages never contain secret values — callers pass field names,
 * never field contents.
 */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export class CardfleetError extends Error {
  override readonly name: string = 'CardfleetError';
  readonly code: ErrorCode;
  readonly position: SourcePosition | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; position?: SourcePosition; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.position = options.position;
    this.details = options.details;
  }

  /** `file:line:col: message` — the form editors and the CLI understand. */
  describe(): string {
    const where = this.position
      ? `${this.position.file}:${this.position.line}:${this.position.column}: `
      : '';
    return `${where}${this.message} [${this.code}]`;
  }
}

export function isCardfleetError(value: unknown): value is CardfleetError {
  return value instanceof CardfleetError;
}
