import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';

/**
 * How both CLIs end on an error (docs/cloud.md and docs/edge-agent.md, "Exit codes"):
 * one line `message [CODE]` (or one JSON object with --json) on stderr, never a stack
 * trace, and an exit code a script can act on.
 */
export const EXIT_OK = 0;
/** The card or the job failed. */
export const EXIT_FAILED = 1;
/** Usage or bad input (options, files, encodings). */
export const EXIT_USAGE = 2;
/** A service (the API, the broker, the agent's console) is unreachable or refused. */
export const EXIT_UNREACHABLE = 3;

export interface CliFailure {
  exit: number;
  code: string;
  message: string;
  hint?: string;
}

// Node's socket and DNS errors (Node docs, "Common system errors") and undici's.
const NETWORK =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+)$/;
const FILE = /^(ENOENT|EACCES|EISDIR|ENOTDIR|EPERM)$/;
const UNREACHABLE_CODES = new Set([
  'API_UNREACHABLE',
  'KEYSET_UNREACHABLE',
  'CONSOLE_NOT_RUNNING',
  'BROKER_UNREACHABLE',
]);

/**
 * The failure a thrown value means. `badInput` are the codes this CLI counts as the
 * user's input (exit 2); other CardfleetErrors are a failed card or job (exit 1).
 */
export function cliFailure(error: unknown, badInput: (code: ErrorCode) => boolean): CliFailure {
  if (error instanceof CardfleetError) {
    const hint = typeof error.details?.hint === 'string' ? error.details.hint : undefined;
    const status = typeof error.details?.httpStatus === 'number' ? error.details.httpStatus : 0;
    const exit =
      UNREACHABLE_CODES.has(error.code) || status === 401 || status === 403 || status >= 500
        ? EXIT_UNREACHABLE
        : error.code === 'CLI_USAGE' || (status >= 400 && status < 500) || badInput(error.code)
          ? EXIT_USAGE
          : EXIT_FAILED;
    return {
      exit,
      code: error.code,
      message: error.describe().replace(/ \[[A-Z0-9_]+\]$/, ''),
      ...(hint ? { hint } : {}),
    };
  }
  const system = systemCode(error);
  if (system && NETWORK.test(system)) {
    return {
      exit: EXIT_UNREACHABLE,
      code: 'API_UNREACHABLE',
      message: `cannot reach the service (${system})`,
    };
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return {
      exit: EXIT_UNREACHABLE,
      code: 'API_UNREACHABLE',
      message: 'cannot reach the service (fetch failed)',
    };
  }
  if (system && FILE.test(system)) {
    const path = (error as { path?: unknown }).path;
    return {
      exit: EXIT_USAGE,
      code: 'FILE_UNREADABLE',
      message: `cannot read ${typeof path === 'string' ? path : 'a file'} (${system})`,
    };
  }
  if (error instanceof SyntaxError)
    return { exit: EXIT_USAGE, code: 'FILE_UNREADABLE', message: `not valid JSON: ${error.message}` };
  return {
    exit: EXIT_FAILED,
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The code of a Node system error, or of the error that caused it (fetch wraps them). */
function systemCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK.test(code) || FILE.test(code))) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What goes to stderr: `message [CODE]` and the hint, or one JSON object with --json. */
export function renderFailure(failure: CliFailure, json: boolean): string {
  if (json)
    return `${JSON.stringify({ error: { code: failure.code, message: failure.message, exit: failure.exit, ...(failure.hint ? { hint: failure.hint } : {}) } })}\n`;
  return `${failure.message} [${failure.code}]\n${failure.hint ? `${failure.hint}\n` : ''}`;
}
