import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';
import { cliFailure, EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE, renderFailure } from './cli-failure';

const asInput = () => false;
const withStatus = (httpStatus: unknown) =>
  new CardfleetError('CONFLICT', 'refused', { details: { httpStatus } });
const systemError = (code: unknown, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${String(code)}: failed`), { code, ...extra });

describe('a CLI failure from a CardfleetError', () => {
  it('uses the documented exit codes', () => {
    expect([EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE]).toEqual([0, 1, 2, 3]);
  });

  it('exits 3 for every code that names an unreachable service, whatever counts as input', () => {
    for (const code of [
      'API_UNREACHABLE',
      'KEYSET_UNREACHABLE',
      'CONSOLE_NOT_RUNNING',
      'BROKER_UNREACHABLE',
    ] as const)
      expect([code, cliFailure(new CardfleetError(code, 'x'), () => true).exit]).toEqual([code, 3]);
  });

  it('exits 3 for an API answer of 401, 403 or 500 and above, 2 for other 4xx, 1 below 400', () => {
    const exits = Object.fromEntries(
      [399, 400, 401, 402, 403, 404, 499, 500, 503].map((status) => [
        status,
        cliFailure(withStatus(status), asInput).exit,
      ]),
    );
    expect(exits).toEqual({ 399: 1, 400: 2, 401: 3, 402: 2, 403: 3, 404: 2, 499: 2, 500: 3, 503: 3 });
  });

  it('ignores an HTTP status that is not a number', () => {
    expect(cliFailure(withStatus('503'), asInput).exit).toBe(1);
  });

  it('exits 2 for CLI_USAGE and for the codes the CLI counts as input, asking with the code', () => {
    const asked: ErrorCode[] = [];
    const isInput = (code: ErrorCode) => {
      asked.push(code);
      return code === 'ENCODING_INVALID';
    };
    expect(cliFailure(new CardfleetError('ENCODING_INVALID', 'x'), isInput).exit).toBe(2);
    expect(cliFailure(new CardfleetError('PIN_LOCKED', 'x'), isInput).exit).toBe(1);
    expect(asked).toEqual(['ENCODING_INVALID', 'PIN_LOCKED']);
    expect(cliFailure(new CardfleetError('CLI_USAGE', 'x'), asInput).exit).toBe(2);
  });

  it('keeps the position and message, drops only the trailing [CODE], and carries a string hint', () => {
    const error = new CardfleetError('ENCODING_UNKNOWN_KEY', 'key [FOO_1] is unknown', {
      position: { file: 'card.ini', line: 4, column: 1 },
      details: { hint: 'see docs/encoding-format.md' },
    });
    expect(cliFailure(error, () => true)).toEqual({
      exit: 2,
      code: 'ENCODING_UNKNOWN_KEY',
      message: 'card.ini:4:1: key [FOO_1] is unknown',
      hint: 'see docs/encoding-format.md',
    });
  });

  it('carries no hint when it is empty or not a string', () => {
    for (const hint of ['', 42, undefined])
      expect(cliFailure(new CardfleetError('WAIT_TIMEOUT', 'late', { details: { hint } }), asInput)).toEqual({
        exit: 1,
        code: 'WAIT_TIMEOUT',
        message: 'late',
      });
  });
});

describe('a CLI failure from a Node error', () => {
  it('reads every socket and DNS error, and undici errors, as an unreachable service', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ETIMEDOUT',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'EPIPE',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
    ])
      expect(cliFailure(systemError(code), asInput)).toEqual({
        exit: 3,
        code: 'API_UNREACHABLE',
        message: `cannot reach the service (${code})`,
      });
  });

  it('takes no near miss of a network code for one', () => {
    for (const code of ['UND_ERR_', 'XECONNREFUSED', 'ECONNREFUSEDX', 'econnrefused', 'EPIPE2'])
      expect(cliFailure(systemError(code), asInput)).toEqual({
        exit: 1,
        code: 'INTERNAL',
        message: `${code}: failed`,
      });
  });

  it('reads every file error as unreadable input, naming the path when there is one', () => {
    for (const code of ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM'])
      expect(cliFailure(systemError(code, { path: '/etc/x' }), asInput)).toEqual({
        exit: 2,
        code: 'FILE_UNREADABLE',
        message: `cannot read /etc/x (${code})`,
      });
    expect(cliFailure(systemError('ENOENT', { path: 7 }), asInput)).toEqual({
      exit: 2,
      code: 'FILE_UNREADABLE',
      message: 'cannot read a file (ENOENT)',
    });
    for (const code of ['XENOENT', 'ENOENTX'])
      expect(cliFailure(systemError(code), asInput).code).toBe('INTERNAL');
  });

  it('finds the system code up to three causes deep, past codes that are not system codes', () => {
    const wrapped = (levels: number, inner: Error) => {
      let error: Error = inner;
      for (let i = 0; i < levels; i++) error = new Error(`level ${i}`, { cause: error });
      return error;
    };
    expect(cliFailure(wrapped(3, systemError('ECONNRESET')), asInput).code).toBe('API_UNREACHABLE');
    expect(cliFailure(wrapped(4, systemError('ECONNRESET')), asInput)).toEqual({
      exit: 1,
      code: 'INTERNAL',
      message: 'level 3',
    });
    const outer = Object.assign(new Error('request failed', { cause: systemError('ENOTFOUND') }), {
      code: 'E_OTHER',
    });
    expect(cliFailure(outer, asInput).message).toBe('cannot reach the service (ENOTFOUND)');
    const numeric = Object.assign(new Error('odd', { cause: systemError('EACCES') }), { code: 13 });
    expect(cliFailure(numeric, asInput).code).toBe('FILE_UNREADABLE');
  });

  it('reads a bare "fetch failed" TypeError as an unreachable service, and only that one', () => {
    expect(cliFailure(new TypeError('fetch failed'), asInput)).toEqual({
      exit: 3,
      code: 'API_UNREACHABLE',
      message: 'cannot reach the service (fetch failed)',
    });
    expect(cliFailure(new TypeError('x is not a function'), asInput)).toEqual({
      exit: 1,
      code: 'INTERNAL',
      message: 'x is not a function',
    });
    expect(cliFailure(new Error('fetch failed'), asInput).code).toBe('INTERNAL');
  });

  it('reads a JSON syntax error as unreadable input', () => {
    let syntax: unknown;
    try {
      JSON.parse('{');
    } catch (error) {
      syntax = error;
    }
    expect(cliFailure(syntax, asInput)).toEqual({
      exit: 2,
      code: 'FILE_UNREADABLE',
      message: `not valid JSON: ${(syntax as Error).message}`,
    });
  });

  it('reads anything else thrown as an internal failure with its text', () => {
    expect(cliFailure('plain text', asInput)).toEqual({ exit: 1, code: 'INTERNAL', message: 'plain text' });
    expect(cliFailure(undefined, asInput)).toEqual({ exit: 1, code: 'INTERNAL', message: 'undefined' });
  });
});

describe('a rendered CLI failure', () => {
  const failure = {
    exit: 2,
    code: 'CLI_USAGE',
    message: 'jobs needs a subcommand',
    hint: 'see: tool help jobs',
  };

  it('is one line and the hint on the next, or the line alone', () => {
    expect(renderFailure(failure, false)).toBe('jobs needs a subcommand [CLI_USAGE]\nsee: tool help jobs\n');
    expect(renderFailure({ ...failure, hint: '' }, false)).toBe('jobs needs a subcommand [CLI_USAGE]\n');
  });

  it('is one JSON line with --json, the hint only when there is one', () => {
    expect(renderFailure(failure, true)).toBe(
      '{"error":{"code":"CLI_USAGE","message":"jobs needs a subcommand","exit":2,"hint":"see: tool help jobs"}}\n',
    );
    expect(renderFailure({ ...failure, hint: '' }, true)).toBe(
      '{"error":{"code":"CLI_USAGE","message":"jobs needs a subcommand","exit":2}}\n',
    );
  });
});
